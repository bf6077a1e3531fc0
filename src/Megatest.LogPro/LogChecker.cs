using System.Buffers;

namespace Megatest.LogPro;

/// <summary>Applies a <see cref="RuleSet"/> to a log in one streaming pass.</summary>
public sealed class LogChecker
{
    /// <summary>Creates a checker; <paramref name="today"/> decides which rules have expired (default: the current date).</summary>
    public LogChecker(RuleSet rules, DateTime? today = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
        var day = (today ?? DateTime.Today).Date;
        Expired = rules.Rules.Select(r => r.Expires is { } e && day > e.Date).ToArray();

        var literals = new List<string>();
        var complete = true;
        foreach (var pattern in rules.Triggers.Select(t => t.Pattern)
                     .Concat(rules.Rules.Where((_, i) => !Expired[i]).Select(r => r.Pattern)))
        {
            foreach (var lit in pattern.Literals)
            {
                if (lit is null)
                {
                    complete = false;
                }
                else
                {
                    literals.Add(lit);
                }
            }
        }

        if (complete)
        {
            Prefilter = SearchValues.Create(ReduceLiterals(literals), StringComparison.OrdinalIgnoreCase);
        }
    }

    internal RuleSet Rules { get; }

    /// <summary>
    /// Many literals make the multi-string search slow; when they share prefixes, searching for the distinct
    /// prefixes (at least 4 characters, at most 8 of them) finds a superset of the candidate lines much faster.
    /// </summary>
    internal static string[] ReduceLiterals(IReadOnlyCollection<string> literals)
    {
        var all = literals.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (all.Length <= 8)
        {
            return all;
        }

        for (var length = all.Max(l => l.Length); length >= 4; length--)
        {
            var prefixes = all.Select(l => l.Length > length ? l[..length] : l).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (prefixes.Length <= 8)
            {
                // A shorter literal may itself be a prefix of another: both stay, the search is a superset anyway.
                return prefixes;
            }
        }

        return all;
    }

    /// <summary>Per expect rule: past its expires: date (not applied).</summary>
    internal bool[] Expired { get; }

    /// <summary>When every pattern has a required literal: a line containing none of them matches nothing.</summary>
    internal SearchValues<string>? Prefilter { get; }

    /// <summary>
    /// Reads <paramref name="input"/> to the end, echoes it (annotated) to <paramref name="annotated"/>, and when
    /// <paramref name="htmlPath"/> is given writes the HTML report there and the .dat summary beside it.
    /// </summary>
    public CheckResult Run(TextReader input, TextWriter? annotated, string? htmlPath)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new CheckRun(this, annotated, htmlPath).Execute(input);
    }
}
