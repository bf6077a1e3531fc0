namespace Megatest.Config;

/// <summary>A config error; the message has the form <c>FILE:LINE: message</c>.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the error for a file and line.</summary>
    public ConfigException(string fileName, int line, string message)
        : base($"{fileName}:{line}: {message}")
    {
        FileName = fileName;
        Line = line;
        Detail = message;
    }

    /// <summary>Creates the error for a file and line with a cause.</summary>
    public ConfigException(string fileName, int line, string message, Exception inner)
        : base($"{fileName}:{line}: {message}", inner)
    {
        FileName = fileName;
        Line = line;
        Detail = message;
    }

    /// <summary>The file with the error.</summary>
    public string FileName { get; }

    /// <summary>The 1-based line of the error (0 when it concerns the whole file).</summary>
    public int Line { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Detail { get; }
}
