using System.Text;

namespace SocketsNotebooks.Tests.AppProtocol;

/// <summary>Bytes the tutorial's Python programs put on the wire, from issue 4.</summary>
internal static class GoldenBytes
{
    /// <summary>The Python server's answer to a search for "morpheus".</summary>
    public static byte[] MorpheusResponse { get; } = Frame(
        """{"byteorder": "little", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 43}""",
        """{"result": "Follow the white rabbit. 🐰"}""");

    /// <summary>The Python client's search request for "morpheus".</summary>
    public static byte[] MorpheusRequest { get; } = Frame(
        """{"byteorder": "little", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 41}""",
        """{"action": "search", "value": "morpheus"}""");

    /// <summary>2-byte big-endian length + header + content, built by hand (not by our encoder).</summary>
    public static byte[] Frame(string jsonHeader, string content) => Frame(jsonHeader, Encoding.UTF8.GetBytes(content));

    /// <summary>2-byte big-endian length + header + content bytes.</summary>
    public static byte[] Frame(string jsonHeader, byte[] content)
    {
        byte[] header = Encoding.UTF8.GetBytes(jsonHeader);
        return [(byte)(header.Length >> 8), (byte)header.Length, .. header, .. content];
    }
}
