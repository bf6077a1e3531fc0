using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Megatest.LogPro;

/// <summary>One or more compiled regular expressions; a line matches when any of them does.</summary>
internal sealed class PatternSet
{
    private readonly Regex[] _regexes;
    private readonly string?[] _literals;
    private readonly StringComparison[] _comparisons;

    public PatternSet(IReadOnlyList<SExpr> sources, Func<SExpr, string, LogProSyntaxException> error)
    {
        _regexes = new Regex[sources.Count];
        _literals = new string?[sources.Count];
        _comparisons = new StringComparison[sources.Count];
        var shown = new List<string>();
        for (var i = 0; i < sources.Count; i++)
        {
            var src = sources[i];
            var options = RegexOptions.Compiled | RegexOptions.CultureInvariant;
            foreach (var f in src.RegexFlags)
            {
                options |= f switch
                {
                    'i' => RegexOptions.IgnoreCase,
                    'm' => RegexOptions.Multiline,
                    's' => RegexOptions.Singleline,
                    'x' => RegexOptions.IgnorePatternWhitespace,
                    _ => RegexOptions.None,
                };
            }

            var pattern = RegexText.TranslatePosix(src.Text);
            try
            {
                _regexes[i] = new Regex(pattern, options);
            }
            catch (ArgumentException ex)
            {
                throw error(src, $"invalid regular expression #/{src.Text}/: {ex.Message}");
            }

            var ignoreCase = (options & RegexOptions.IgnoreCase) != 0;
            _literals[i] = (options & RegexOptions.IgnorePatternWhitespace) != 0 ? null : RegexText.RequiredLiteral(pattern, ignoreCase);
            _comparisons[i] = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            shown.Add("#/" + src.Text + "/" + src.RegexFlags);
        }

        Display = string.Join(" ", shown);
    }

    /// <summary>The patterns as written in the rule file.</summary>
    public string Display { get; }

    /// <summary>For each pattern, a literal every match contains (null when unknown).</summary>
    public IReadOnlyList<string?> Literals => _literals;

    /// <summary>True when any pattern matches the line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsMatch(ReadOnlySpan<char> line)
    {
        for (var i = 0; i < _regexes.Length; i++)
        {
            var literal = _literals[i];
            if (literal is not null && line.IndexOf(literal, _comparisons[i]) < 0)
            {
                continue;
            }

            if (_regexes[i].IsMatch(line))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first successful match of any pattern, or null.</summary>
    public Match? Match(string line)
    {
        foreach (var regex in _regexes)
        {
            var m = regex.Match(line);
            if (m.Success)
            {
                return m;
            }
        }

        return null;
    }
}
