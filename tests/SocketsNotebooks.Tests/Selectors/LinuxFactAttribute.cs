namespace SocketsNotebooks.Tests.Selectors;

/// <summary>A fact that needs Linux (epoll); skipped, with the reason, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "epoll is Linux-only";
        }
    }
}
