namespace Megatest.Fuzz.Tests;

/// <summary>Thrown by a fuzz check when the input reproduced a known, reported bug: counted as excluded under <see cref="Bug"/>.</summary>
public sealed class FuzzKnownBugException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzKnownBugException(string bug, Exception inner)
        : base(bug, inner)
    {
        Bug = bug;
    }

    /// <summary>The known bug, as listed in the report.</summary>
    public string Bug { get; }
}
