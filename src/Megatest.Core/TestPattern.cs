namespace Megatest.Core;

/// <summary>
/// A parsed <c>-testpatt</c> value (SPEC §3.3): a comma-separated list of <c>TEST[/ITEM]</c> parts.
/// </summary>
/// <remarks>
/// <para>Each part's test and item components are <see cref="NamePattern"/>s (<c>%</c> = any string,
/// case-insensitive; otherwise <c>*</c> = any string, case-sensitive), matched against the whole name. The item
/// component is everything after the first <c>/</c>, so it may itself contain <c>/</c>.</para>
/// <para><c>test</c> (no slash) selects the test and all its items; <c>test/</c> only the toplevel (item path
/// <c>""</c>); <c>test/%</c> all items and the toplevel (since <c>%</c> matches the empty path); <c>%/</c> every
/// toplevel. An empty pattern matches nothing.</para>
/// <para>Negation (decision, documented here): a part whose <b>test</b> component starts with <c>~</c> is an
/// exclusion: a row is excluded when its test matches the component (and, if present, its item matches the item
/// component, which may itself be negated). A part whose only <b>item</b> component starts with <c>~</c> is an
/// ordinary inclusion selecting the rows of the test whose item path does not match (the toplevel included).
/// A row matches when some inclusion part matches it and no exclusion part excludes it. A list made only of
/// exclusions behaves as if <c>%</c> were present (<c>~foo</c> = everything but foo). Exclusions apply to the whole
/// list, also after <see cref="Union"/>.</para>
/// </remarks>
public sealed class TestPattern
{
    private readonly Part[] _parts;

    private TestPattern(Part[] parts)
    {
        _parts = parts;
        Parts = parts.Select(p => p.Text).ToArray();
    }

    /// <summary>The default pattern <c>%</c>.</summary>
    public static TestPattern All { get; } = Parse("%");

    /// <summary>The empty pattern (matches nothing).</summary>
    public static TestPattern None { get; } = Parse("");

    /// <summary>The individual (trimmed, non-empty) parts in order.</summary>
    public IReadOnlyList<string> Parts { get; }

    /// <summary>True when there are no parts (matches nothing).</summary>
    public bool IsEmpty => _parts.Length == 0;

    /// <summary>Parses a comma-separated pattern list; blank parts are ignored.</summary>
    public static TestPattern Parse(string patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var parts = patterns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(Part.Parse)
            .ToArray();
        return new TestPattern(parts);
    }

    /// <summary>True when the row (test, item path; <c>""</c> = toplevel / non-itemized) is selected.</summary>
    public bool Matches(string testName, string itemPath)
    {
        ArgumentNullException.ThrowIfNull(testName);
        ArgumentNullException.ThrowIfNull(itemPath);
        var included = false;
        var anyInclusion = false;
        foreach (var part in _parts)
        {
            if (part.TestNegated)
            {
                if (part.Excludes(testName, itemPath))
                {
                    return false;
                }
            }
            else
            {
                anyInclusion = true;
                included = included || part.Includes(testName, itemPath);
            }
        }

        return _parts.Length > 0 && (included || !anyInclusion);
    }

    /// <summary>
    /// True when some row of the test could match (used to select tests before their items are known). This is
    /// conservative: an exclusion only rules the test out when it excludes all its rows (no item component, or one
    /// made only of wildcards).
    /// </summary>
    public bool SelectsTest(string testName)
    {
        ArgumentNullException.ThrowIfNull(testName);
        var included = false;
        var anyInclusion = false;
        foreach (var part in _parts)
        {
            if (part.TestNegated)
            {
                if (part.Test.IsMatch(testName) && (part.Item is null || (!part.ItemNegated && part.Item.MatchesEverything)))
                {
                    return false;
                }
            }
            else
            {
                anyInclusion = true;
                included = included || part.Test.IsMatch(testName);
            }
        }

        return _parts.Length > 0 && (included || !anyInclusion);
    }

    /// <summary>
    /// The item patterns requested for a test by the inclusion parts whose test component matches it
    /// (<c>%</c> for parts without item component; negated item components keep their <c>~</c>). Used when a
    /// waited-on test is pulled into the run (SPEC §3.3/§4.2).
    /// </summary>
    public IReadOnlyList<string> ItemPatternsFor(string testName)
    {
        ArgumentNullException.ThrowIfNull(testName);
        var result = new List<string>();
        foreach (var part in _parts)
        {
            if (!part.TestNegated && part.Test.IsMatch(testName))
            {
                var item = part.Item is null ? "%" : (part.ItemNegated ? "~" : "") + part.Item.Text;
                if (!result.Contains(item, StringComparer.Ordinal))
                {
                    result.Add(item);
                }
            }
        }

        return result;
    }

    /// <summary>The list extended with the other list's parts (like appending <c>,other</c> to the text).</summary>
    public TestPattern Union(TestPattern other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new TestPattern([.. _parts, .. other._parts]);
    }

    /// <summary>The parts joined by <c>,</c>; parses back to an equivalent pattern.</summary>
    public override string ToString() => string.Join(",", Parts);

    private sealed record Part(string Text, bool TestNegated, NamePattern Test, bool ItemNegated, NamePattern? Item)
    {
        public static Part Parse(string text)
        {
            var slash = text.IndexOf('/');
            var testText = slash < 0 ? text : text[..slash];
            var itemText = slash < 0 ? null : text[(slash + 1)..];
            var testNegated = testText.StartsWith('~');
            if (testNegated)
            {
                testText = testText[1..];
            }

            var itemNegated = itemText is not null && itemText.StartsWith('~');
            if (itemNegated)
            {
                itemText = itemText![1..];
            }

            return new Part(text, testNegated, NamePattern.Parse(testText), itemNegated,
                itemText is null ? null : NamePattern.Parse(itemText));
        }

        private bool ItemMatches(string itemPath) =>
            Item is null || (Item.IsMatch(itemPath) != ItemNegated);

        public bool Includes(string testName, string itemPath) => Test.IsMatch(testName) && ItemMatches(itemPath);

        public bool Excludes(string testName, string itemPath) => Test.IsMatch(testName) && ItemMatches(itemPath);
    }
}
