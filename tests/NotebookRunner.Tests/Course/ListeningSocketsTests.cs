namespace NotebookRunner.Tests;

/// <summary>The leak check the hygiene test relies on must see a listener a notebook forgot.</summary>
public sealed class ListeningSocketsTests
{
    [Fact]
    public async Task AfterNotebook_LastCellLeftAListenerOpen_SeenThere()
    {
        using var nb = new TestNotebook();
        string leaky = nb.Write("01-leaky.ipynb",
            "var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);\nlistener.Start();",
            "Console.WriteLine(\"forgot to stop it\");");
        string tidy = nb.Write("02-tidy.ipynb",
            "var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);\nlistener.Start();",
            "listener.Stop();");
        IReadOnlySet<string> before = ListeningSockets.Snapshot();
        var left = new Dictionary<string, string[]>();
        var runner = new CourseRunner(nb.OutputDirectory, TextWriter.Null)
        {
            AfterNotebook = notebook => left[notebook.Name] = ListeningSockets.Snapshot().Except(before).ToArray(),
        };

        try
        {
            await runner.RunAsync([leaky, tidy]);

            Assert.Single(left["01-leaky.ipynb"]);
            Assert.Contains("127.0.0.1:", left["01-leaky.ipynb"][0], StringComparison.Ordinal);
        }
        finally
        {
            // The leaky notebook's listener is unreachable now; its finalizer closes it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        // The tidy notebook stopped its own listener (the leaky one's may still be there).
        Assert.Empty(left["02-tidy.ipynb"].Except(left["01-leaky.ipynb"]));
    }
}
