using System.Net;

namespace SocketsNotebooks.MultiConn;

// The tutorial's prints show an address as Python's tuple repr: ('127.0.0.1', 65432).
internal static class PythonAddress
{
    public static string Of(EndPoint? endPoint) =>
        endPoint is IPEndPoint ip ? $"('{ip.Address}', {ip.Port})" : endPoint?.ToString() ?? "?";
}
