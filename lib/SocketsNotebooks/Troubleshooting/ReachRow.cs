namespace SocketsNotebooks.Troubleshooting;

/// <summary>One address of this machine and what a <c>connect()</c> to it did, for each of two servers.</summary>
/// <param name="Address">The address connected to, e.g. <c>127.0.0.1</c> or the machine's LAN address.</param>
/// <param name="Interface">The network interface that has the address (<c>lo</c>, <c>eth0</c>, ...).</param>
/// <param name="LoopbackServer">What happened with the server bound to 127.0.0.1: <c>connected</c> or the error.</param>
/// <param name="AnyServer">The same for the server bound to 0.0.0.0.</param>
public sealed record ReachRow(string Address, string Interface, string LoopbackServer, string AnyServer);
