using System.Text;
using System.Text.RegularExpressions;

namespace Megatest.Core;

/// <summary>
/// One wildcard pattern matched against a whole name (SPEC §3.3): when the pattern contains <c>%</c>,
/// <c>%</c> means "any string" and matching is case-insensitive; otherwise <c>*</c> means "any string" and
/// matching is case-sensitive. Every other character is literal.
/// </summary>
public sealed class NamePattern
{
    private readonly Regex _regex;

    private NamePattern(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    /// <summary>The pattern text.</summary>
    public string Text { get; }

    /// <summary>True when the pattern uses <c>%</c> (case-insensitive, SQL LIKE).</summary>
    public bool IsPercent => Text.Contains('%');

    /// <summary>True when the pattern matches every name (only wildcards, at least one).</summary>
    public bool MatchesEverything => Text.Length > 0 && Text.All(c => c == (IsPercent ? '%' : '*'));

    /// <summary>Compiles a pattern.</summary>
    public static NamePattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var percent = text.Contains('%');
        var wildcard = percent ? '%' : '*';
        var sb = new StringBuilder("^");
        foreach (var c in text)
        {
            sb.Append(c == wildcard ? ".*" : Regex.Escape(c.ToString()));
        }

        sb.Append('$');
        var options = RegexOptions.Singleline | RegexOptions.CultureInvariant;
        if (percent)
        {
            options |= RegexOptions.IgnoreCase;
        }

        return new NamePattern(text, new Regex(sb.ToString(), options));
    }

    /// <summary>True when the whole <paramref name="name"/> matches.</summary>
    public bool IsMatch(string name) => _regex.IsMatch(name);

    /// <inheritdoc />
    public override string ToString() => Text;
}
