namespace SocketsNotebooks.Inside;

/// <summary>Whether this process may capture packets on the loopback interface, and if not, why.</summary>
/// <param name="CanCapture">True when libpcap is installed and the kernel lets this process open a packet socket.</param>
/// <param name="Reason">What was found: the libpcap version and interface, or what stopped it.</param>
public sealed record CaptureRights(bool CanCapture, string Reason)
{
    /// <summary>How a reader gives the notebook's kernel the right to capture (Linux), in a few lines.</summary>
    public const string HowToAllow = """
        Capturing needs libpcap (Debian/Ubuntu: sudo apt-get install libpcap0.8) and the right to open a packet socket
        (CAP_NET_RAW, and CAP_NET_ADMIN for the interface settings), which root has. Any one of these gives it:
          - run the course as root (as CI does): sudo dotnet run --project lib/NotebookRunner -- notebooks/07-inside-tcp.ipynb
          - give the dotnet host the two capabilities (every program it runs gets them; undo with setcap -r):
              sudo setcap cap_net_raw,cap_net_admin+eip "$(readlink -f "$(command -v dotnet)")"
          - in a devcontainer, add "runArgs": ["--cap-add=NET_RAW", "--cap-add=NET_ADMIN"] and run the kernel as root
        then restart the notebook's kernel.
        """;

    /// <summary>One line for a notebook: live, or recorded and why.</summary>
    public override string ToString() => CanCapture ? $"live capture: {Reason}" : $"no live capture here: {Reason}";
}
