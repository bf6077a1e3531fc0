namespace Megatest.LogPro.Tests;

/// <summary>A reader that produces many lines without holding them, handing out small odd-sized chunks.</summary>
internal sealed class GeneratedReader(int lines, Func<int, string> line) : TextReader
{
    private int _next;
    private string _pending = "";
    private int _offset;

    public override int Read(char[] buffer, int index, int count)
    {
        if (_offset >= _pending.Length)
        {
            if (_next >= lines)
            {
                return 0;
            }

            _pending = line(_next++) + "\n";
            _offset = 0;
        }

        var n = Math.Min(Math.Min(count, _pending.Length - _offset), 7);
        _pending.CopyTo(_offset, buffer, index, n);
        _offset += n;
        return n;
    }
}
