namespace Megatest.Storage;

/// <summary>A page of a two-run comparison with the number of rows of each verdict.</summary>
/// <param name="Rows">The rows of this page.</param>
/// <param name="Counts">Rows per verdict over the whole comparison.</param>
public sealed record ComparisonPage(IReadOnlyList<ComparisonRow> Rows, IReadOnlyDictionary<string, long> Counts);
