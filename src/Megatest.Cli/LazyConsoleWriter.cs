using System.Text;

namespace Megatest.Cli;

/// <summary>
/// The console's standard output or error, made on first use: setting up a console writer costs a command a few
/// milliseconds, which a query that writes its result in one go (<see cref="ListRunsText.WriteTo"/>) does not pay (issue #9).
/// </summary>
internal sealed class LazyConsoleWriter : TextWriter
{
    private readonly bool _error;
    private TextWriter? _writer;

    private LazyConsoleWriter(bool error)
    {
        _error = error;
    }

    /// <summary>The standard output.</summary>
    public static LazyConsoleWriter Out { get; } = new(error: false);

    /// <summary>The standard error.</summary>
    public static LazyConsoleWriter Error { get; } = new(error: true);

    /// <summary>True for the standard output.</summary>
    public bool IsStandardOutput => !_error;

    /// <inheritdoc />
    public override Encoding Encoding => _error ? Console.Error.Encoding : Console.OutputEncoding;

    /// <inheritdoc />
    public override IFormatProvider FormatProvider => Writer.FormatProvider;

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => Writer.NewLine;
        set => Writer.NewLine = value;
    }

    private TextWriter Writer => _writer ??= _error ? Console.Error : Console.Out;

    /// <inheritdoc />
    public override void Write(char value) => Writer.Write(value);

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Writer.Write(buffer, index, count);

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<char> buffer) => Writer.Write(buffer);

    /// <inheritdoc />
    public override void Write(string? value) => Writer.Write(value);

    /// <inheritdoc />
    public override void WriteLine() => Writer.WriteLine();

    /// <inheritdoc />
    public override void WriteLine(string? value) => Writer.WriteLine(value);

    /// <inheritdoc />
    public override void WriteLine(ReadOnlySpan<char> buffer) => Writer.WriteLine(buffer);

    /// <inheritdoc />
    public override void Flush() => _writer?.Flush();

    /// <inheritdoc />
    public override Task FlushAsync() => _writer?.FlushAsync() ?? Task.CompletedTask;
}
