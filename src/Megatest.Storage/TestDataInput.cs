namespace Megatest.Storage;

/// <summary>A test_data row to record (SPEC §7.2); fields other than category and variable are optional.</summary>
/// <param name="Category">Category (logpro: the step name).</param>
/// <param name="Variable">Variable name.</param>
/// <param name="Value">Measured value; stored as a number when it looks numeric.</param>
/// <param name="Expected">Expected value; stored as a number when it looks numeric.</param>
/// <param name="Tol">Tolerance: a number, or one of <c>&gt; &lt; &gt;= &lt;=</c>.</param>
/// <param name="Units">Units.</param>
/// <param name="Comment">Comment.</param>
/// <param name="Status">Status; computed by <see cref="TestDataStatus"/> when blank or <c>n/a</c>.</param>
/// <param name="Type">Type (e.g. <c>logpro</c>).</param>
public sealed record TestDataInput(
    string Category,
    string Variable,
    string? Value,
    string? Expected,
    string? Tol,
    string? Units,
    string? Comment,
    string? Status,
    string? Type);
