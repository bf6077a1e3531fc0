namespace Megatest.LogPro;

/// <summary>Per-rule detail for the reports, beyond the public <see cref="RuleOutcome"/>.</summary>
internal sealed class RuleReport
{
    /// <summary>How many credited line numbers are kept per rule for the HTML links.</summary>
    public const int MaxLinks = 25;

    public required RuleOutcome Outcome { get; init; }

    /// <summary>"in", "not-in" or "" for triggers.</summary>
    public required string Where { get; init; }

    public required bool AffectsResult { get; init; }

    public required long Count { get; init; }

    public long PassCount { get; init; }

    public long FailCount { get; init; }

    public bool IsValue { get; init; }

    public bool Expired { get; init; }

    public string CssClass { get; init; } = "";

    public string Message { get; init; } = "";

    public required IReadOnlyList<long> Lines { get; init; }
}
