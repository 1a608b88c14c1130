namespace SocketsNotebooks.Inside;

/// <summary>One field of a <see cref="TcpInfo"/>, for a table: its name in <c>struct tcp_info</c>, its value and what it means.</summary>
/// <param name="Field">The kernel's name, e.g. <c>tcpi_rtt</c>.</param>
/// <param name="Value">The value with its unit.</param>
/// <param name="Meaning">What it says about the connection, in a few words.</param>
public sealed record TcpInfoField(string Field, string Value, string Meaning);
