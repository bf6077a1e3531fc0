using System.Globalization;
using System.Text;
using Megatest.Storage;

namespace Megatest.Cli;

/// <summary>
/// The text of <c>-list-runs</c>, built as UTF-8 bytes in one buffer: tests arrive as UTF-8 spans from
/// <see cref="RawListing"/> and are copied, padded and written without a string per field (issue #9). The layout is
/// fixed (scripts read it): a run line, then per test a line with the name padded to 30, state to 12 and status to
/// 14 characters (UTF-16 units, as string padding counts them), the runtime right-aligned in 5, the local time and
/// host; a test that did not pass and has started gets its comment, run directory and steps below it.
/// </summary>
internal sealed class ListRunsText
{
    private const int NameWidth = 30;
    private const int StateWidth = 12;
    private const int StatusWidth = 14;
    private const int RuntimeWidth = 5;

    // EPIPE: IOException.HResult carries the errno on Unix.
    private const int BrokenPipe = 32;

    private byte[] _buffer = new byte[1 << 16];
    private int _length;
    private long _lastTime = long.MinValue;
    private readonly byte[] _timeText = new byte[32];
    private int _timeLength;

    /// <summary>The text so far.</summary>
    public ReadOnlySpan<byte> Utf8 => _buffer.AsSpan(0, _length);

    /// <summary>The line that starts a run.</summary>
    public void Run(RunRow run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Line($"Run: {run.Target}/{run.RunName} status: {run.State}/{run.Status} id: {run.Id}");
    }

    /// <summary>The test's line; true when its details (comment, run directory, steps) follow.</summary>
    public bool Test(in TestListingText test)
    {
        Append("  Test: "u8);
        var name = Append(test.TestName);
        if (test.ItemPath.Length > 0)
        {
            Append("("u8);
            name += Append(test.ItemPath) + 2;
            Append(")"u8);
        }

        Spaces(NameWidth - name);
        Append(" State: "u8);
        Spaces(StateWidth - Append(test.State));
        Append(" Status: "u8);
        Spaces(StatusWidth - Append(test.Status));
        Append(" Runtime: "u8);
        Runtime(test.RunDuration);
        Append("s Time: "u8);
        Time(test.EventTime);
        Append(" Host: "u8);
        Append(test.Host);
        Append("\n"u8);
        if (test.Status.SequenceEqual("PASS"u8) || test.Status.SequenceEqual("WARN"u8) || test.Status.SequenceEqual("n/a"u8)
            || test.State.SequenceEqual("NOT_STARTED"u8))
        {
            return false;
        }

        Append("      comment: "u8);
        Append(test.Comment);
        Append("  rundir: "u8);
        Append(test.RunDir);
        Append("\n"u8);
        return true;
    }

    /// <summary>A step line under a test's details.</summary>
    public void Step(StepRow step)
    {
        ArgumentNullException.ThrowIfNull(step);
        Line($"      step: {step.StepName,-20} {step.State,-6} {step.Status,-6} {step.Comment}");
    }

    /// <summary>
    /// Writes <paramref name="utf8"/> to <paramref name="output"/>: as bytes straight to file descriptor 1 when
    /// <paramref name="output"/> is the console's standard output and encodes UTF-8 (the console's first write sets up
    /// the terminal and signal handling, a few milliseconds a query need not pay), else as text.
    /// </summary>
    public static void WriteTo(TextWriter output, ReadOnlySpan<byte> utf8)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output is LazyConsoleWriter { IsStandardOutput: true } && output.Encoding.CodePage == Encoding.UTF8.CodePage)
        {
            output.Flush();
            using var stdout = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            try
            {
                stdout.Write(utf8);
            }
            catch (IOException ex) when (ex.HResult == BrokenPipe)
            {
                // The reader went away (megatest -list-runs … | head): the console ignores that too.
            }

            return;
        }

        output.Write(Encoding.UTF8.GetString(utf8));
        output.Flush();
    }

    // {x,5:0} of the duration, as string formatting writes it. A whole number of seconds (most are) is written as the
    // integer it is, which the custom format "0" writes alike for values below 10^15 (its 15 significant digits);
    // anything else, -0 included, goes through that format.
    private void Runtime(double seconds)
    {
        Span<byte> digits = stackalloc byte[64];
        int length;
        if (seconds >= 0 && seconds < 1e15 && !double.IsNegative(seconds) && seconds == Math.Floor(seconds))
        {
            ((long)seconds).TryFormat(digits, out length, default, CultureInfo.InvariantCulture);
        }
        else if (!seconds.TryFormat(digits, out length, "0", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("a duration did not fit 64 bytes");
        }

        Spaces(RuntimeWidth - length);
        Append(digits[..length]);
    }

    // Many tests of a run end in the same second: format each second once.
    private void Time(long epochSeconds)
    {
        if (epochSeconds != _lastTime)
        {
            var local = DateTimeOffset.FromUnixTimeSeconds(epochSeconds).ToLocalTime();
            if (!local.TryFormat(_timeText, out _timeLength, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("a time did not fit 32 bytes");
            }

            _lastTime = epochSeconds;
        }

        Append(_timeText.AsSpan(0, _timeLength));
    }

    private void Line(string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        Reserve(bytes + 1);
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
        _buffer[_length++] = (byte)'\n';
    }

    // Appends text as a string of it would be written (malformed UTF-8 as U+FFFD); returns its length in UTF-16 units.
    private int Append(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Ascii.IsValid(utf8))
        {
            Copy(utf8);
            return utf8.Length;
        }

        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            Copy(utf8);
            return Encoding.UTF8.GetCharCount(utf8);
        }

        var text = Encoding.UTF8.GetString(utf8);
        Copy(Encoding.UTF8.GetBytes(text));
        return text.Length;
    }

    private void Copy(ReadOnlySpan<byte> utf8)
    {
        Reserve(utf8.Length);
        utf8.CopyTo(_buffer.AsSpan(_length));
        _length += utf8.Length;
    }

    private void Spaces(int count)
    {
        if (count <= 0)
        {
            return;
        }

        Reserve(count);
        _buffer.AsSpan(_length, count).Fill((byte)' ');
        _length += count;
    }

    private void Reserve(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
