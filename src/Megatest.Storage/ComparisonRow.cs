namespace Megatest.Storage;

/// <summary>A test or item of two compared runs, with its verdict.</summary>
/// <param name="TestName">Test name.</param>
/// <param name="ItemPath">Item path.</param>
/// <param name="A">The row in the first run, if any.</param>
/// <param name="B">The row in the second run, if any.</param>
/// <param name="Verdict">same, better, worse, added (only in B) or removed (only in A).</param>
public sealed record ComparisonRow(string TestName, string ItemPath, TestRow? A, TestRow? B, string Verdict);
