using System.Text;

namespace NotebookRunner;

/// <summary>
/// Collects one cell's outputs in the order they happen, from any thread: Console text, values
/// passed to <c>display(...)</c>, then the last expression or the error. Consecutive writes to
/// the same stream join into one <c>stream</c> output, as Jupyter shows them.
/// </summary>
public sealed class CellOutputCollector
{
    private readonly object _gate = new();
    private readonly List<CellOutput> _outputs = [];
    private readonly StringBuilder _openStream = new();
    private string _openStreamName = "";
    private int _charts;

    /// <summary>How many charts were displayed so far.</summary>
    public int Charts
    {
        get
        {
            lock (_gate)
            {
                return _charts;
            }
        }
    }

    /// <summary>Appends Console text to the cell's <c>stdout</c> or <c>stderr</c> stream.</summary>
    public void AppendStream(string name, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_openStreamName != name)
            {
                CloseStreamLocked();
                _openStreamName = name;
            }

            _openStream.Append(text);
        }
    }

    /// <summary>Adds a formatted value or an error after whatever was written so far.</summary>
    public void Add(CellOutput output, bool isChart = false)
    {
        lock (_gate)
        {
            CloseStreamLocked();
            _outputs.Add(output);
            if (isChart)
            {
                _charts++;
            }
        }
    }

    /// <summary>The outputs so far, in order.</summary>
    public IReadOnlyList<CellOutput> Snapshot()
    {
        lock (_gate)
        {
            CloseStreamLocked();
            return _outputs.ToArray();
        }
    }

    private void CloseStreamLocked()
    {
        if (_openStream.Length > 0)
        {
            _outputs.Add(CellOutput.Stream(_openStreamName, _openStream.ToString()));
            _openStream.Clear();
        }

        _openStreamName = "";
    }
}
