namespace Megatest.LogPro;

/// <summary>A rule file could not be read: syntax error or a form this reader does not support.</summary>
public sealed class LogProSyntaxException : Exception
{
    /// <summary>Creates the exception; the message becomes "FILE:LINE: what".</summary>
    public LogProSyntaxException(string fileName, int line, string what)
        : base($"{fileName}:{line}: {what}")
    {
        FileName = fileName;
        Line = line;
        What = what;
    }

    /// <summary>The rule file's name as given to the parser.</summary>
    public string FileName { get; }

    /// <summary>The 1-based line where the problem was found.</summary>
    public int Line { get; }

    /// <summary>The description without the file and line prefix.</summary>
    public string What { get; }
}
