namespace SocketsNotebooks.Troubleshooting;

/// <summary>One TCP socket and a process that holds it, as <c>ss -tanp</c> or <c>lsof -i</c> report it.</summary>
/// <param name="Pid">The process id.</param>
/// <param name="Process">The process's name (<c>/proc/&lt;pid&gt;/comm</c>, e.g. <c>dotnet</c>).</param>
/// <param name="Fd">The file descriptor number the process knows the socket by.</param>
/// <param name="Socket">The socket's row in the kernel's table: addresses, state, queues.</param>
public sealed record SocketOwner(int Pid, string Process, int Fd, SocketRow Socket)
{
    /// <summary>One line: the socket, then who holds it.</summary>
    public override string ToString() => $"{Socket} ← {Process} (pid {Pid}, fd {Fd})";
}
