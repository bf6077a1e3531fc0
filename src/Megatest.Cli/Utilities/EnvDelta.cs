using System.Text;

namespace Megatest.Cli.Utilities;

/// <summary>
/// -envdelta A-B: the commands that turn environment A into environment B, as bash, csh or config lines.
/// A PATH-like variable (name ending in PATH) that B only extends at the front and/or back is written relative
/// to its old value, e.g. <c>export PATH="/new/bin:${PATH}"</c>.
/// </summary>
internal static class EnvDelta
{
    /// <summary>The output formats accepted by -dumpmode.</summary>
    public static readonly IReadOnlyList<string> Modes = ["bash", "csh", "ini", "config"];

    /// <summary>Variables a shell manages itself; they are left out of deltas.</summary>
    private static readonly HashSet<string> s_ignored = new(StringComparer.Ordinal) { "_", "SHLVL", "PWD", "OLDPWD" };

    /// <summary>Added, removed and changed variables, sorted by name.</summary>
    public static IReadOnlyList<EnvChange> Compute(IReadOnlyDictionary<string, string> from, IReadOnlyDictionary<string, string> to)
    {
        var names = from.Keys.Union(to.Keys, StringComparer.Ordinal)
            .Where(n => !s_ignored.Contains(n) && ShellQuoting.IsVariableName(n))
            .Order(StringComparer.Ordinal);
        var changes = new List<EnvChange>();
        foreach (var name in names)
        {
            var oldValue = from.GetValueOrDefault(name);
            var newValue = to.GetValueOrDefault(name);
            if (!string.Equals(oldValue, newValue, StringComparison.Ordinal))
            {
                changes.Add(new EnvChange(name, oldValue, newValue));
            }
        }

        return changes;
    }

    /// <summary>When <paramref name="newValue"/> is <paramref name="oldValue"/> with ':'-separated entries added before and/or after it, those additions.</summary>
    public static (string Prefix, string Suffix)? PathExtension(string name, string? oldValue, string? newValue)
    {
        if (!name.EndsWith("PATH", StringComparison.Ordinal) || string.IsNullOrEmpty(oldValue) || newValue is null)
        {
            return null;
        }

        var oldParts = oldValue.Split(':');
        var newParts = newValue.Split(':');
        if (newParts.Length <= oldParts.Length)
        {
            return null;
        }

        for (var start = 0; start + oldParts.Length <= newParts.Length; start++)
        {
            if (!newParts.Skip(start).Take(oldParts.Length).SequenceEqual(oldParts, StringComparer.Ordinal))
            {
                continue;
            }

            var prefix = string.Join(':', newParts.Take(start));
            var suffix = string.Join(':', newParts.Skip(start + oldParts.Length));
            return (prefix, suffix);
        }

        return null;
    }

    /// <summary>Writes the delta in <paramref name="mode"/> (bash, csh, ini or config).</summary>
    public static void Write(TextWriter output, string fromContext, string toContext, IReadOnlyList<EnvChange> changes, string mode)
    {
        output.WriteLine($"# environment changes from context {fromContext} to context {toContext} (megatest -envdelta)");
        foreach (var change in changes)
        {
            output.WriteLine(Line(change, mode));
        }
    }

    private static string Line(EnvChange change, string mode)
    {
        var name = change.Name;
        var config = mode is "ini" or "config";
        if (change.NewValue is null)
        {
            return mode switch
            {
                "csh" => $"unsetenv {name}",
                "bash" => $"unset {name}",
                _ => $"# {name} is removed (the config language has no way to unset a variable)",
            };
        }

        if (PathExtension(name, change.OldValue, change.NewValue) is var (prefix, suffix))
        {
            if (config)
            {
                return $"{name} {Join(prefix, "$" + name, suffix)}";
            }

            var reference = "${" + name + "}";
            var quoted = (prefix.Length == 0 || ShellQuoting.IsPlain(prefix)) && (suffix.Length == 0 || ShellQuoting.IsPlain(suffix))
                ? "\"" + Join(prefix, reference, suffix) + "\""
                : QuotePart(prefix.Length > 0 ? prefix + ":" : "", mode) + "\"" + reference + "\"" + QuotePart(suffix.Length > 0 ? ":" + suffix : "", mode);
            return mode == "csh" ? $"setenv {name} {quoted}" : $"export {name}={quoted}";
        }

        var value = change.NewValue;
        return mode switch
        {
            "csh" => $"setenv {name} {(value.Length == 0 ? "''" : ShellQuoting.Csh(value))}",
            "bash" => $"export {name}={(value.Length == 0 ? "''" : ShellQuoting.Bash(value))}",
            _ => value.Length == 0 ? name : $"{name} {ConfigValue(value)}",
        };
    }

    private static string Join(string prefix, string middle, string suffix)
    {
        var sb = new StringBuilder();
        if (prefix.Length > 0)
        {
            sb.Append(prefix).Append(':');
        }

        sb.Append(middle);
        if (suffix.Length > 0)
        {
            sb.Append(':').Append(suffix);
        }

        return sb.ToString();
    }

    private static string QuotePart(string text, string mode) =>
        text.Length == 0 ? "" : mode == "csh" ? ShellQuoting.Csh(text) : ShellQuoting.Bash(text);

    /// <summary>Config values continue on indented lines (SPEC §2.3); blank lines would end the value, so they are dropped.</summary>
    private static string ConfigValue(string value) =>
        string.Join("\n  ", value.Split('\n').Where(l => l.Trim().Length > 0));
}
