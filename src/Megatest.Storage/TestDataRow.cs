namespace Megatest.Storage;

/// <summary>One row of the <c>test_data</c> table; numbers are rendered in invariant culture, missing values as empty strings.</summary>
/// <param name="Id">The row id.</param>
/// <param name="TestId">The test the data belongs to.</param>
/// <param name="Category">Category.</param>
/// <param name="Variable">Variable name.</param>
/// <param name="Value">Measured value.</param>
/// <param name="Expected">Expected value.</param>
/// <param name="Tol">Tolerance.</param>
/// <param name="Units">Units.</param>
/// <param name="Comment">Comment.</param>
/// <param name="Status">Status (pass/fail, computed or given).</param>
/// <param name="Type">Type.</param>
public sealed record TestDataRow(
    long Id,
    long TestId,
    string Category,
    string Variable,
    string Value,
    string Expected,
    string Tol,
    string Units,
    string Comment,
    string Status,
    string Type);
