namespace Megatest.Fuzz.Tests;

/// <summary>What one fuzz input led to, when it neither crashed nor hung.</summary>
public enum FuzzOutcome
{
    /// <summary>The input was accepted (a packet, a ConfigData).</summary>
    Accepted,

    /// <summary>The input was refused with a clear error.</summary>
    Rejected,

    /// <summary>The input hits a known, reported bug and was not run (counted and listed, never silent).</summary>
    Excluded,
}
