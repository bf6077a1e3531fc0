namespace Megatest.Storage;

/// <summary>A storage failure with a message that says what was expected, what was found and what to do.</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public StorageException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public StorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the underlying cause.</summary>
    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
