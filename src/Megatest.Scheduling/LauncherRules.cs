using Megatest.Config;
using Megatest.Core;

namespace Megatest.Scheduling;

/// <summary>
/// Which host type a test or item needs (SPEC §5.3, §5.4): with <c>[jobtools] flexi-launcher</c> set to anything
/// but <c>no</c>, the <c>[launchers]</c> lines <c>TESTPATT[/ITEMPATT] HOSTTYPE</c> are scanned in order and the
/// first whose pattern (the <c>-testpatt</c> language) matches selects the host type; otherwise, or when none
/// matches, the test falls back to <c>[jobtools] launcher</c> and has no host type: any agent may run it.
/// Agents serve the host types listed in their labels.
/// </summary>
public sealed class LauncherRules
{
    private readonly List<(TestPattern Pattern, string HostType)> _lines = [];
    private readonly List<NamePattern> _itemLineTests = [];

    /// <summary>Reads the rules of an area's megatest.config.</summary>
    public LauncherRules(ConfigData megatest)
    {
        ArgumentNullException.ThrowIfNull(megatest);
        var flexi = megatest.Get("jobtools", "flexi-launcher")?.Trim();
        if (string.IsNullOrEmpty(flexi) || string.Equals(flexi, "no", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var (pattern, value) in megatest.Section("launchers"))
        {
            var hostType = value.Trim().Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (!string.IsNullOrEmpty(hostType) && !string.IsNullOrWhiteSpace(pattern))
            {
                var text = pattern.Trim();
                _lines.Add((TestPattern.Parse(text), hostType));
                var slash = text.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && slash < text.Length - 1)
                {
                    _itemLineTests.Add(NamePattern.Parse(text[..slash]));
                }
            }
        }
    }

    /// <summary>Whether any [launchers] line applies (flexi-launcher on and lines present).</summary>
    public bool IsFlexible => _lines.Count > 0;

    /// <summary>Whether some [launchers] line names items of <paramref name="testName"/>, so its items may differ in host type.</summary>
    public bool DependsOnItem(string testName) => _itemLineTests.Any(p => p.IsMatch(testName));

    /// <summary>The host type of a test or item, or null when any agent will do.</summary>
    public string? HostTypeFor(string testName, string itemPath)
    {
        foreach (var (pattern, hostType) in _lines)
        {
            if (pattern.Matches(testName, itemPath))
            {
                return hostType;
            }
        }

        return null;
    }

    /// <summary>Whether an agent with <paramref name="labels"/> may run a test of <paramref name="hostType"/>.</summary>
    public static bool Serves(IReadOnlyList<string> labels, string? hostType) =>
        hostType is null || labels.Contains(hostType, StringComparer.Ordinal);
}
