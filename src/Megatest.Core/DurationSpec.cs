using System.Text.RegularExpressions;

namespace Megatest.Core;

/// <summary>Parses time specs like <c>1d 2h 3m 4s</c> (SPEC §5.2 runtimelim, <c>[skip] rundelay</c>).</summary>
public static partial class DurationSpec
{
    /// <summary>
    /// Total seconds of a spec made of whitespace-separated (or adjacent) tokens <c>&lt;n&gt;s|m|h|d</c>
    /// (unit letters case-insensitive); tokens add up. A number without unit counts as <b>seconds</b> — a
    /// deliberate fix of Megatest's quirk, where a bare number parses as 0 s. Returns null for null, blank,
    /// malformed input or overflow.
    /// </summary>
    public static int? ParseSeconds(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec) || !Whole().IsMatch(spec))
        {
            return null;
        }

        long total = 0;
        foreach (Match m in Token().Matches(spec))
        {
            if (!long.TryParse(m.Groups[1].Value, out var n))
            {
                return null;
            }

            var factor = char.ToLowerInvariant(m.Groups[2].Success && m.Groups[2].Length > 0 ? m.Groups[2].Value[0] : 's') switch
            {
                'd' => 86400L,
                'h' => 3600L,
                'm' => 60L,
                _ => 1L,
            };
            total += n * factor;
            if (total > int.MaxValue)
            {
                return null;
            }
        }

        return (int)total;
    }

    [GeneratedRegex(@"^\s*(\d{1,12}\s*[smhdSMHD]?\s*)+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d+)\s*([smhdSMHD]?)")]
    private static partial Regex Token();
}
