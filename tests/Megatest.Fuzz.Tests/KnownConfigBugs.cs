using System.Text.RegularExpressions;
using Megatest.Config;

namespace Megatest.Fuzz.Tests;

/// <summary>
/// Config inputs that hit a known, reported bug in src/ and are counted as excluded instead of failing the run.
/// Crashes are recognised exactly (by the exception the bug throws); hangs cannot be waited for, so those inputs
/// are recognised before running by a deliberately broad test on their section names.
/// </summary>
public static partial class KnownConfigBugs
{
    /// <summary>Bug C1: a blank [scriptinc] argument indexes an empty array.</summary>
    public const string ScriptIncBlank =
        "C1: '[scriptinc   ]' (a blank script after expansion) throws IndexOutOfRangeException in ConfigParser.ScriptInc instead of a ConfigException/warning";

    /// <summary>Bug C2: runconfigs wildcard and /regex/ sections are matched by backtracking regexes without a time-out.</summary>
    public const string WildcardBacktracking =
        "C2: runconfigs read for a target: a [..%..%..] or [/REGEX/] section is matched against every section name with an unbounded backtracking Regex (no time-out); inputs with 4+ '%', nested quantifiers or section names over 300 chars beside a wildcard are skipped";

    /// <summary>Bug C3: #{…} expansion rescans the whole line once per helper, up to 1000 rounds.</summary>
    public const string ExpansionRescan =
        "C3: a line with many #{…} helpers costs (helpers, at most 1000) × (line length): each round re-runs Regex.Matches over the whole line (5 000 helpers = ~1 s CPU; 1 000+ helpers also give a false 'expansion does not terminate'); lines with over 600 helpers are skipped";

    private const int MaxHelpersPerLine = 600;

    /// <summary>Throws <see cref="FuzzKnownBugException"/> when <paramref name="ex"/> is a known bug.</summary>
    public static void ThrowIfKnown(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (ex is IndexOutOfRangeException && ex.StackTrace?.Contains("ConfigParser.ScriptInc", StringComparison.Ordinal) == true)
        {
            throw new FuzzKnownBugException(ScriptIncBlank, ex);
        }
    }

    /// <summary>The known hang <paramref name="input"/> may hit, or null.</summary>
    public static string? Before(ConfigInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Lines(input.Text).Any(line => Count(line, "#{") > MaxHelpersPerLine))
        {
            return ExpansionRescan;
        }

        if (input.Kind != ConfigKind.RunConfigs || string.IsNullOrEmpty(input.Target))
        {
            return null; // wildcard sections are only applied when runconfigs are read for a target
        }

        var wildcard = false;
        var risky = false;
        var longest = 0;
        foreach (var name in SectionNames(input.Text))
        {
            longest = Math.Max(longest, name.Length);
            var isRegex = name.Length >= 2 && name[0] == '/' && name[^1] == '/';
            if (isRegex || name.Contains('%'))
            {
                wildcard = true;
                risky |= name.Count(c => c == '%') >= 4 || (isRegex && NestedQuantifier().IsMatch(name));
            }
        }

        return wildcard && (risky || longest > 300) ? WildcardBacktracking : null;
    }

    private static IEnumerable<string> SectionNames(string text)
    {
        // Broad on purpose: any bracketed run on any line (after joining backslashes) counts.
        foreach (var line in Lines(text))
        {
            var open = line.IndexOf('[', StringComparison.Ordinal);
            var close = line.LastIndexOf(']');
            if (open >= 0 && close > open)
            {
                yield return line[(open + 1)..close].Trim();
            }
        }
    }

    private static string[] Lines(string text) =>
        text.Replace("\\\r\n", "", StringComparison.Ordinal).Replace("\\\n", "", StringComparison.Ordinal).Split('\n', '\r');

    private static int Count(string line, string what)
    {
        var count = 0;
        for (var at = line.IndexOf(what, StringComparison.Ordinal); at >= 0; at = line.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [GeneratedRegex(@"[*+?}]\)*[*+{?]|\)[*+{]|\.\*.*\.\*|[*+].*[*+].*[*+]", RegexOptions.CultureInvariant)]
    private static partial Regex NestedQuantifier();
}
