namespace Megatest.Core;

/// <summary>
/// One wildcard pattern matched against a whole name (SPEC §3.3): when the pattern contains <c>%</c>,
/// <c>%</c> means "any string" and matching is case-insensitive; otherwise <c>*</c> means "any string" and
/// matching is case-sensitive. Every other character is literal.
/// </summary>
/// <remarks>
/// Matched directly (no regular expression): the pattern is split at its wildcards into literal pieces; the first
/// must start the name, the last must end it, and the ones between are found in order, each as early as it can be,
/// which is enough for a pattern whose only operator is "any string". Patterns are parsed on hot paths (every
/// control packet, every listing), so parsing allocates only the pieces.
/// </remarks>
public sealed class NamePattern
{
    private readonly string[] _pieces;
    private readonly StringComparison _comparison;

    private NamePattern(string text, char wildcard)
    {
        Text = text;
        IsPercent = wildcard == '%';
        _comparison = IsPercent ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        _pieces = text.Split(wildcard);
        MatchesEverything = text.Length > 0 && text.AsSpan().IndexOfAnyExcept(wildcard) < 0;
    }

    /// <summary>The pattern text.</summary>
    public string Text { get; }

    /// <summary>True when the pattern uses <c>%</c> (case-insensitive, SQL LIKE).</summary>
    public bool IsPercent { get; }

    /// <summary>True when the pattern matches every name (only wildcards, at least one).</summary>
    public bool MatchesEverything { get; }

    /// <summary>Compiles a pattern.</summary>
    public static NamePattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new NamePattern(text, text.Contains('%') ? '%' : '*');
    }

    /// <summary>True when the whole <paramref name="name"/> matches.</summary>
    public bool IsMatch(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_pieces.Length == 1)
        {
            return string.Equals(name, _pieces[0], _comparison); // no wildcard: the name itself
        }

        // The piece before the first wildcard starts the name, the one after the last ends it (either may be empty).
        var rest = name.AsSpan();
        var first = _pieces[0];
        var last = _pieces[^1];
        if (first.Length + last.Length > rest.Length || !rest.StartsWith(first, _comparison) || !rest.EndsWith(last, _comparison))
        {
            return false;
        }

        rest = rest[first.Length..^last.Length];
        for (var i = 1; i < _pieces.Length - 1; i++)
        {
            var at = rest.IndexOf(_pieces[i], _comparison);
            if (at < 0)
            {
                return false;
            }

            rest = rest[(at + _pieces[i].Length)..];
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
