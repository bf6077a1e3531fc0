namespace Megatest.Config;

/// <summary>Where a key was defined: file and 1-based line.</summary>
public sealed record ConfigLocation(string File, int Line);
