namespace Megatest.Storage;

/// <summary>One row of the runs matrix: a test (or an item) with the number of items it has in the shown runs.</summary>
/// <param name="TestName">Test name.</param>
/// <param name="ItemPath">Item path; empty for a toplevel row.</param>
/// <param name="ItemCount">Distinct items of the test over the shown runs (0 for plain tests and item rows).</param>
public sealed record MatrixRowKey(string TestName, string ItemPath, long ItemCount);
