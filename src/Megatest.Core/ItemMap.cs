using System.Text;
using System.Text.RegularExpressions;

namespace Megatest.Core;

/// <summary>
/// The item mapping of a waiting test (SPEC §4.2): maps the waiting item's path to the path to look for in the
/// waited-on test ("mapping is in reverse").
/// </summary>
/// <remarks>
/// <para>Line form <c>[requirements] itemmap</c>: a (possibly multi-line) value whose non-blank lines are
/// <c>PATTERN [REPLACEMENT]</c> rules; each is a regular expression replaced at every match (an omitted
/// replacement deletes the match; <c>\1</c>… are back-references, <c>\\</c> is a backslash), applied in order,
/// each to the previous output.</para>
/// <para>Section form <c>[itemmap]</c>: lines <c>TESTPATT PATTERN [REPLACEMENT]</c>; the first entry whose
/// TESTPATT (a <see cref="NamePattern"/>) matches applies. The line form counts as an entry with TESTPATT
/// <c>%</c> placed first (so when present it always applies).</para>
/// <para>Quirk decision: Megatest keys the section form by the <i>waiting</i> test's name when checking
/// prerequisites but by the <i>waited-on</i> test's name when extending test patterns. This implementation
/// always keys it by the <b>waited-on</b> test's name, as the manual's example intends, for both uses.</para>
/// </remarks>
public sealed class ItemMap
{
    private static readonly char[] s_whitespace = [' ', '\t'];
    private readonly IReadOnlyList<Entry> _entries;

    private ItemMap(IReadOnlyList<Entry> entries) => _entries = entries;

    /// <summary>A map without rules (identity).</summary>
    public static ItemMap Empty { get; } = new([]);

    /// <summary>True when there are no rules (Map returns its input).</summary>
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Parses the line form and the section form.</summary>
    /// <param name="requirementsItemMap">Value of <c>[requirements] itemmap</c>, or null.</param>
    /// <param name="itemmapSection"><c>[itemmap]</c> lines as (TESTPATT, "PATTERN [REPLACEMENT]").</param>
    /// <exception cref="ArgumentException">A rule's regular expression is invalid.</exception>
    public static ItemMap Parse(string? requirementsItemMap, IReadOnlyList<KeyValuePair<string, string>> itemmapSection)
    {
        ArgumentNullException.ThrowIfNull(itemmapSection);
        var entries = new List<Entry>();
        if (requirementsItemMap is not null)
        {
            var rules = requirementsItemMap.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.Length > 0)
                .Select(ParseRule)
                .ToArray();
            if (rules.Length > 0)
            {
                entries.Add(new Entry(NamePattern.Parse("%"), rules));
            }
        }

        foreach (var (testPatt, ruleText) in itemmapSection)
        {
            var text = (ruleText ?? "").Trim();
            if (text.Length > 0 && testPatt.Trim().Length > 0)
            {
                entries.Add(new Entry(NamePattern.Parse(testPatt.Trim()), [ParseRule(text)]));
            }
        }

        return new ItemMap(entries);
    }

    /// <summary>
    /// Maps the waiting item's path to the item path to look for in the waited-on test
    /// <paramref name="waitonTestName"/>. Returns the path unchanged when no entry applies. Also usable on item
    /// patterns when pulling the waited-on test into the run.
    /// </summary>
    public string Map(string waitonTestName, string itemPath)
    {
        ArgumentNullException.ThrowIfNull(waitonTestName);
        ArgumentNullException.ThrowIfNull(itemPath);
        var entry = _entries.FirstOrDefault(e => e.TestPattern.IsMatch(waitonTestName));
        if (entry is null)
        {
            return itemPath;
        }

        var result = itemPath;
        foreach (var rule in entry.Rules)
        {
            result = rule.Apply(result);
        }

        return result;
    }

    private static Rule ParseRule(string line)
    {
        var ws = line.IndexOfAny(s_whitespace);
        var pattern = ws < 0 ? line : line[..ws];
        var replacement = ws < 0 ? "" : line[(ws + 1)..].Trim();
        try
        {
            return new Rule(new Regex(pattern, RegexOptions.CultureInvariant), replacement);
        }
        catch (RegexParseException ex)
        {
            throw new ArgumentException($"Invalid itemmap pattern '{pattern}': {ex.Message}", nameof(line), ex);
        }
    }

    private sealed record Entry(NamePattern TestPattern, IReadOnlyList<Rule> Rules);

    private sealed record Rule(Regex Pattern, string Replacement)
    {
        public string Apply(string input) => Pattern.Replace(input, Expand);

        private string Expand(Match match)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < Replacement.Length; i++)
            {
                var c = Replacement[i];
                if (c == '\\' && i + 1 < Replacement.Length)
                {
                    var next = Replacement[i + 1];
                    if (char.IsAsciiDigit(next))
                    {
                        var group = next - '0';
                        if (group < match.Groups.Count)
                        {
                            sb.Append(match.Groups[group].Value);
                        }

                        i++;
                        continue;
                    }

                    if (next == '\\')
                    {
                        sb.Append('\\');
                        i++;
                        continue;
                    }
                }

                sb.Append(c);
            }

            return sb.ToString();
        }
    }
}
