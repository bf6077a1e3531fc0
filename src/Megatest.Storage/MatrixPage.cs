namespace Megatest.Storage;

/// <summary>One page of the runs matrix: its rows, the cells of those rows in the shown runs, and the total row count.</summary>
/// <param name="Rows">The rows of this page, in order.</param>
/// <param name="Cells">The test rows behind the cells (one per row and run where it exists).</param>
/// <param name="TotalRows">Rows matching the filter over all pages.</param>
public sealed record MatrixPage(IReadOnlyList<MatrixRowKey> Rows, IReadOnlyList<TestRow> Cells, long TotalRows);
