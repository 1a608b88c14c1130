namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// Which part of a message the decoder is waiting for: the states of the tutorial's
/// <c>process_protoheader</c> → <c>process_jsonheader</c> → <c>process_request</c>.
/// </summary>
public enum DecoderState
{
    /// <summary>Waiting for the 2-byte big-endian length of the JSON header.</summary>
    ProtoHeader,
    /// <summary>Waiting for the JSON header itself (its length is known).</summary>
    JsonHeader,
    /// <summary>Waiting for the content (its length is in the JSON header).</summary>
    Content,
}
