namespace NotebookRunner.Kernel;

/// <summary>
/// The kernel could not do its part: its tool would not restore or start, it exited while a cell
/// ran, or a cell ran past its timeout (the kernel is ended then). The message says which.
/// </summary>
public sealed class KernelException : Exception
{
    /// <summary>Creates the exception with a message that names what failed.</summary>
    public KernelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure underneath.</summary>
    public KernelException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public KernelException()
        : base("the kernel failed")
    {
    }
}
