namespace Megatest.Storage;

/// <summary>One tally of the <c>run_stats</c> table: how many tests of a run are in a state/status pair.</summary>
/// <param name="State">Test state.</param>
/// <param name="Status">Test status.</param>
/// <param name="Count">Number of tests.</param>
public sealed record RunStatRow(string State, string Status, long Count);
