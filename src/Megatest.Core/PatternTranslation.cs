using System.Text;

namespace Megatest.Core;

/// <summary>
/// Translates a single name pattern (one component of a <c>-testpatt</c> part, without <c>~</c>) for SQL
/// filtering (SPEC §3.3): a pattern containing <c>%</c> is applied with LIKE (case-insensitive for ASCII in
/// sqlite; note that <c>_</c> is LIKE's single-character wildcard, as in Megatest), otherwise with GLOB
/// (<c>*</c> wildcard, case-sensitive).
/// </summary>
public static class PatternTranslation
{
    /// <summary>True when the pattern is applied with LIKE (it contains <c>%</c>); false = GLOB.</summary>
    public static bool UseLike(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern.Contains('%');
    }

    /// <summary>
    /// The operand for <c>column LIKE operand</c>: a <c>%</c> pattern is returned unchanged; a <c>*</c> pattern is
    /// converted (<c>*</c> → <c>%</c>) for callers that always use LIKE (this loses GLOB's case sensitivity).
    /// </summary>
    public static string ToSqlLike(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return UseLike(pattern) ? pattern : pattern.Replace('*', '%');
    }

    /// <summary>
    /// The operand for <c>column GLOB operand</c> of a pattern without <c>%</c>: <c>*</c> stays the wildcard and
    /// GLOB's other special characters <c>?</c> and <c>[</c> are made literal.
    /// </summary>
    public static string ToSqlGlob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var sb = new StringBuilder(pattern.Length);
        foreach (var c in pattern)
        {
            sb.Append(c switch
            {
                '?' => "[?]",
                '[' => "[[]",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>
    /// The SQL operator (<c>LIKE</c> or <c>GLOB</c>, prefixed with <c>NOT </c> for a leading <c>~</c>) and the
    /// operand to bind for one pattern component.
    /// </summary>
    public static (string Operator, string Operand) ForSql(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var negated = pattern.StartsWith('~');
        var body = negated ? pattern[1..] : pattern;
        var like = UseLike(body);
        var op = (negated ? "NOT " : "") + (like ? "LIKE" : "GLOB");
        return (op, like ? body : ToSqlGlob(body));
    }
}
