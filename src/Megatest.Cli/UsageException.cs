namespace Megatest.Cli;

/// <summary>The command line is wrong; the message says how.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an exit code other than 1.</summary>
    public UsageException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>Creates an empty exception.</summary>
    public UsageException()
    {
    }

    /// <summary>Process exit code.</summary>
    public int ExitCode { get; } = 1;
}
