namespace Megatest.Scheduling;

/// <summary>An -archive request that cannot be carried out; the message is the reason in the ack.</summary>
public sealed class ArchiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArchiveException()
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public ArchiveException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and its cause.</summary>
    public ArchiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
