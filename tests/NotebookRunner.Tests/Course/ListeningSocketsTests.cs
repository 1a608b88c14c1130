using NotebookRunner.Site;

namespace NotebookRunner.Tests;

/// <summary>The leak check the hygiene test relies on must see a listener a notebook forgot, in that notebook's kernel.</summary>
public sealed class ListeningSocketsTests
{
    [Fact]
    public async Task AfterNotebook_LastCellLeftAListenerOpen_SeenInItsKernelOnly()
    {
        using var nb = new TestNotebook();
        string leaky = nb.Write("01-leaky.ipynb",
            "var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);\nlistener.Start();",
            "Console.WriteLine(\"forgot to stop it\");");
        string tidy = nb.Write("02-tidy.ipynb",
            "var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);\nlistener.Start();",
            "listener.Stop();");
        var left = new Dictionary<string, string[]>();
        var runner = new CourseRunner(nb.OutputDirectory, TextWriter.Null)
        {
            AfterNotebook = (notebook, kernel) => left[notebook.Name] = ListeningSockets.Of(kernel).ToArray(),
        };

        await runner.RunAsync([leaky, tidy]);

        Assert.Contains("127.0.0.1:", Assert.Single(left["01-leaky.ipynb"]), StringComparison.Ordinal);
        Assert.Empty(left["02-tidy.ipynb"]);
    }
}
