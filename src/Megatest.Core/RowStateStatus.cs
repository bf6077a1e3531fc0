namespace Megatest.Core;

/// <summary>State and status of one test/item row as seen by the dependency logic.</summary>
/// <param name="State">The row's state.</param>
/// <param name="Status">The row's status.</param>
public sealed record RowStateStatus(string State, string Status);
