namespace Megatest.Dashboard;

/// <summary>A report could not be written (unknown run, unreadable database, unwritable output).</summary>
public sealed class ReportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReportException()
    {
    }

    /// <summary>Creates the exception with a message for people.</summary>
    public ReportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReportException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
