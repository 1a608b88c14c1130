namespace SocketsNotebooks.Selectors;

/// <summary>
/// Bytes waiting to be sent: append at the end, consume from the front as <c>send()</c> takes them.
/// Python's <c>outb = outb[sent:]</c> copies the rest each time; this keeps an offset instead and
/// compacts only when the front gap is large.
/// </summary>
internal sealed class OutBuffer
{
    private byte[] _bytes = new byte[256];
    private int _start;
    private int _end;

    public int Length => _end - _start;

    public ReadOnlySpan<byte> Pending => _bytes.AsSpan(_start, Length);

    public void Write(ReadOnlySpan<byte> data)
    {
        if (_end + data.Length > _bytes.Length)
        {
            int length = Length;
            var target = length + data.Length > _bytes.Length ? new byte[Math.Max(_bytes.Length * 2, length + data.Length)] : _bytes;
            Buffer.BlockCopy(_bytes, _start, target, 0, length);
            _bytes = target;
            _start = 0;
            _end = length;
        }
        data.CopyTo(_bytes.AsSpan(_end));
        _end += data.Length;
    }

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }
}
