namespace Megatest.Core;

/// <summary>One item variable and its value for a given item (SPEC §3.4).</summary>
/// <param name="Name">Variable name (exported to the test environment).</param>
/// <param name="Value">Value of the variable for this item.</param>
public sealed record ItemVar(string Name, string Value);
