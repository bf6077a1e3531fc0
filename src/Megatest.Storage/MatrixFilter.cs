namespace Megatest.Storage;

/// <summary>What the dashboard's runs matrix shows: the runs (columns), which test rows, their order and the page.</summary>
/// <param name="RunIds">The runs shown as columns.</param>
/// <param name="TestPattern">Comma list of <c>test[/item]</c> patterns (<c>%</c> → LIKE, else GLOB; a leading <c>~</c> excludes); empty for all.</param>
/// <param name="States">Only rows with a cell in one of these states (empty: any).</param>
/// <param name="Statuses">Only rows with a cell in one of these statuses (empty: any).</param>
/// <param name="ItemsOf">Null: the toplevel rows (plain tests and toplevel records); a test name: the items of that test.</param>
/// <param name="Sort">name, -name, status (worst first), time (earliest start first) or duration (longest first).</param>
/// <param name="Offset">Rows to skip.</param>
/// <param name="Limit">Rows to return.</param>
public sealed record MatrixFilter(
    IReadOnlyList<long> RunIds,
    string TestPattern = "",
    IReadOnlyList<string>? States = null,
    IReadOnlyList<string>? Statuses = null,
    string? ItemsOf = null,
    string Sort = "name",
    int Offset = 0,
    int Limit = 100);
