using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// One request and what came back on its connection: the response, or why there was none.
/// </summary>
/// <param name="Conn">Connection id, as in the trace (0 if the connection never opened).</param>
/// <param name="RequestBytes">Exactly the bytes sent, framing included.</param>
/// <param name="Response">The decoded response, or null.</param>
/// <param name="Outcome">How the connection ended (<see cref="CloseReason.Answered"/> when all went well).</param>
/// <param name="Error">For <see cref="CloseReason.ProtocolError"/>: which rule the response broke.</param>
/// <param name="Detail">What went wrong, in words (empty when answered).</param>
/// <param name="Anatomy">For each client <c>recv()</c>: which parts of the response it delivered.</param>
/// <param name="Milliseconds">From connect to close.</param>
public sealed record AppExchange(
    int Conn,
    byte[] RequestBytes,
    Message? Response,
    CloseReason Outcome,
    ProtocolError? Error,
    string Detail,
    IReadOnlyList<RecvAnatomy> Anatomy,
    double Milliseconds)
{
    /// <summary>Whether a whole response arrived.</summary>
    public bool Answered => Response is not null;

    /// <summary>The <c>result</c> of a JSON response, or null (binary response, or none).</summary>
    public string? Result => Response is { IsJson: true } response ? TryResult(response) : null;

    /// <summary>The request bytes as Python prints them.</summary>
    public string RequestRepr => PythonBytes.Repr(RequestBytes);

    /// <inheritdoc/>
    public override string ToString() => Response switch
    {
        null => $"conn {Conn}: no response ({Outcome}{(Error is null ? "" : $" {Error}")}: {Detail})",
        { IsJson: true } => $"conn {Conn}: result {Result}",
        _ => $"conn {Conn}: response {Response.ContentRepr}",
    };

    private static string? TryResult(Message response)
    {
        try
        {
            return response.JsonString("result");
        }
        catch (ProtocolException)
        {
            return null;
        }
    }
}
