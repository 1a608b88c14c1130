using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

/// <summary>Debian's tcpdump reads the course's .pcap files and sees the same segments the library does.</summary>
public sealed class TcpdumpAgreementTests
{
    public static TheoryData<string> RecordingNames => new() { "echo", "reset", "zero-window", "loss" };

    [SkippableTheory]
    [MemberData(nameof(RecordingNames))]
    public void Recording_ReadByTcpdump_SameSegments(string name)
    {
        string tcpdump = Privileges.RequireTool("tcpdump", "tcpdump");
        string path = PcapFileTests.RepositoryFile($"lib/SocketsNotebooks/Inside/Recordings/{name}.pcap");

        TcpdumpReading.AssertAgrees(TcpdumpReading.Read(tcpdump, path), PcapFile.Read(path));
    }

    [SkippableFact]
    public void Notebook04Capture_ReadByTcpdump_SameSegments()
    {
        string tcpdump = Privileges.RequireTool("tcpdump", "tcpdump");
        string path = PcapFileTests.RepositoryFile("lib/SocketsNotebooks/Troubleshooting/echo-65432.pcap");

        TcpdumpReading.AssertAgrees(TcpdumpReading.Read(tcpdump, path), PcapFile.Read(path));
    }
}
