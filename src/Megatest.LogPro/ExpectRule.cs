namespace Megatest.LogPro;

/// <summary>One expect rule as parsed from the rule file.</summary>
internal sealed class ExpectRule
{
    public required int Index { get; init; }

    /// <summary>Canonical type: required, error, warning, ignore, waive, check, abort, skip, note, required-warn, value.</summary>
    public required string Type { get; init; }

    public required RuleCategory Category { get; init; }

    /// <summary>True for not-in rules.</summary>
    public required bool Inverse { get; init; }

    public required IReadOnlyList<string> SectionNames { get; init; }

    /// <summary>Indexes into <see cref="RuleSet.Sections"/>, filled when the file is fully read.</summary>
    public int[] SectionIds { get; set; } = [];

    /// <summary>Count rules: = &gt; &lt; &gt;= &lt;= !=. Value rules with a comparison: that operator; with a tolerance: "+/-".</summary>
    public required string Operator { get; init; }

    /// <summary>Count rules: the count; value rules: the expected value.</summary>
    public required double Expected { get; init; }

    public required string ExpectedText { get; init; }

    /// <summary>Value rules with a numeric tolerance.</summary>
    public double? Tolerance { get; init; }

    public bool IsValue => Type == "value";

    public int MatchGroup { get; init; } = 1;

    public required string Description { get; init; }

    public required PatternSet Pattern { get; init; }

    public DateTime? Expires { get; init; }

    public string? HookName { get; init; }

    public string? CssClass { get; init; }

    public required int Line { get; init; }

    /// <summary>True when the rule's pass condition holds for <paramref name="count"/> credited lines.</summary>
    public bool CountPasses(long count) => Compare(count, Operator, Expected);

    /// <summary>Applies a comparison operator.</summary>
    public static bool Compare(double measured, string op, double expected) => op switch
    {
        "=" => measured == expected,
        ">" => measured > expected,
        "<" => measured < expected,
        ">=" => measured >= expected,
        "<=" => measured <= expected,
        "!=" => measured != expected,
        _ => false,
    };
}
