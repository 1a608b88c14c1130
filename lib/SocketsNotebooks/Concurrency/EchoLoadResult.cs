using System.Globalization;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// What one closed-loop run of <see cref="EchoLoad"/> measured: how many requests came back in the
/// measured window, how fast, how long each took, and how many connections were served at all.
/// </summary>
/// <param name="Model">Which server was measured (a label for charts).</param>
/// <param name="Connections">Connections the load opened.</param>
/// <param name="Connected">Of those, how many finished connecting in time.</param>
/// <param name="Size">Bytes per request (and per echo).</param>
/// <param name="Seconds">Length of the measured window.</param>
/// <param name="Requests">Echoes that came back, whole and correct, inside the window.</param>
/// <param name="P50Microseconds">Median time from send to the whole echo, or null if nothing came back.</param>
/// <param name="P99Microseconds">99th percentile of the same, or null if nothing came back.</param>
/// <param name="Failed">Connections the server closed or reset during the run.</param>
/// <param name="Mismatches">Echoes whose bytes differed from the request (should be 0).</param>
/// <param name="RequestsPerConnection">Echoes in the window, per connection, in the order they were opened.</param>
public sealed record EchoLoadResult(
    string Model,
    int Connections,
    int Connected,
    int Size,
    double Seconds,
    long Requests,
    double? P50Microseconds,
    double? P99Microseconds,
    int Failed,
    long Mismatches,
    IReadOnlyList<int> RequestsPerConnection)
{
    /// <summary>Requests per second over the measured window.</summary>
    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;

    /// <summary>Connections that got at least one echo back in the window.</summary>
    public int Served => RequestsPerConnection.Count(n => n > 0);

    /// <summary>Connections that got nothing back in the whole window: waiting, not served.</summary>
    public int Starved => Connections - Served;

    /// <summary>A one-line summary, e.g. <c>async/await, 100 connections: 41,200 req/s, p50 2.3 ms, p99 4.1 ms, all 100 served</c>.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        string latency = P50Microseconds is { } p50 && P99Microseconds is { } p99
            ? string.Create(inv, $", p50 {Duration(p50)}, p99 {Duration(p99)}")
            : "";
        string served = Starved == 0 ? $"all {Connections} served" : $"{Served} of {Connections} served";
        string problems = (Failed > 0 ? $", {Failed} closed by the server" : "") + (Mismatches > 0 ? $", {Mismatches} wrong echoes" : "");
        return string.Create(inv, $"{Model}, {Connections} connection{(Connections == 1 ? "" : "s")}: {RequestsPerSecond:N0} req/s{latency}, {served}{problems}");
    }

    /// <summary>Microseconds as a short duration: <c>85 µs</c>, <c>2.3 ms</c>.</summary>
    public static string Duration(double microseconds) =>
        microseconds < 1000
            ? string.Create(CultureInfo.InvariantCulture, $"{microseconds:0} µs")
            : string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000:0.0} ms");
}
