using System.Net;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Concurrency;

/// <summary>Starts the same echo service in any of the <see cref="ConcurrencyModel"/>s, and names them for charts.</summary>
public static class EchoModels
{
    /// <summary>Every model, in the order notebook 06 introduces them (epoll only where it exists).</summary>
    public static IReadOnlyList<ConcurrencyModel> All { get; } = EpollSelector.IsSupported
        ? [ConcurrencyModel.Blocking, ConcurrencyModel.Threads, ConcurrencyModel.Select, ConcurrencyModel.Epoll, ConcurrencyModel.Async]
        : [ConcurrencyModel.Blocking, ConcurrencyModel.Threads, ConcurrencyModel.Select, ConcurrencyModel.Async];

    /// <summary>
    /// Starts an echo server of <paramref name="model"/> on 127.0.0.1 and a free port (or on
    /// <paramref name="endPoint"/>: the <c>sockets serve</c> command listens where it is told), under
    /// <paramref name="name"/> (the model's name if null). With <paramref name="trace"/> every call is
    /// recorded. The select-loop models are notebook 02's <see cref="MultiConnServer"/>, which always
    /// records into a trace: without one it gets a trace that keeps nothing, whose calls cost next to
    /// nothing (see <see cref="Trace.NotKept"/>). <paramref name="options"/> sets up those two models
    /// (e.g. <see cref="MultiConnServerOptions.SendAtOnce"/>; the model picks the selector); the others ignore it.
    /// </summary>
    public static BackgroundServer Start(ConcurrencyModel model, Trace? trace = null, string? name = null, IPEndPoint? endPoint = null,
        MultiConnServerOptions? options = null)
    {
        name ??= $"{model.ToString().ToLowerInvariant()}-echo";
        var selectLoop = (options ?? new()) with { EndPoint = endPoint ?? new IPEndPoint(IPAddress.Loopback, 0) };
        return model switch
        {
            ConcurrencyModel.Blocking => BlockingEchoServer.Start(trace, name, endPoint),
            ConcurrencyModel.Threads => ThreadPerConnectionEchoServer.Start(trace, name, endPoint),
            ConcurrencyModel.Select => MultiConnServer.Start(trace ?? new Trace { Capacity = 0 }, selectLoop with { Selector = SelectorKind.Select }, name),
            ConcurrencyModel.Epoll => MultiConnServer.Start(trace ?? new Trace { Capacity = 0 }, selectLoop with { Selector = SelectorKind.Epoll }, name),
            ConcurrencyModel.Async => AsyncEchoServer.Start(trace, name, endPoint),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "not a concurrency model"),
        };
    }

    /// <summary>The model's name in charts and tables.</summary>
    public static string Label(ConcurrencyModel model) => model switch
    {
        ConcurrencyModel.Blocking => "blocking, one at a time",
        ConcurrencyModel.Threads => "thread per connection",
        ConcurrencyModel.Select => "select loop (Socket.Select)",
        ConcurrencyModel.Epoll => "select loop (epoll)",
        ConcurrencyModel.Async => "async/await",
        _ => model.ToString(),
    };
}
