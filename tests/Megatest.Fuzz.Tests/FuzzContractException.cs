namespace Megatest.Fuzz.Tests;

/// <summary>Thrown by a fuzz check when the code under test answered, but not as promised (e.g. an error without a field).</summary>
public sealed class FuzzContractException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzContractException(string message)
        : base(message)
    {
    }
}
