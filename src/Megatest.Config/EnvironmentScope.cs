namespace Megatest.Config;

/// <summary>
/// A mutable environment map. Reads (<c>#{getenv}</c>) and exports of a config read go here,
/// never to the process environment; shell commands get exactly these variables.
/// </summary>
public sealed class EnvironmentScope
{
    private readonly Dictionary<string, string> _variables;

    private EnvironmentScope(Dictionary<string, string> variables)
    {
        _variables = variables;
    }

    /// <summary>All variables currently set.</summary>
    public IReadOnlyDictionary<string, string> Variables => _variables;

    /// <summary>
    /// A copy of the process environment. PWD is set to the current directory when it is missing
    /// or does not name the current directory.
    /// </summary>
    public static EnvironmentScope FromProcess()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                map[key] = value;
            }
        }

        var cwd = Directory.GetCurrentDirectory();
        // The same text needs no resolving of links (a few milliseconds of every command, issue #9): either way PWD ends up as cwd.
        if (!map.TryGetValue("PWD", out var pwd) || (pwd != cwd && !PathUtil.SameDirectory(pwd, cwd)))
        {
            map["PWD"] = cwd;
        }

        return new EnvironmentScope(map);
    }

    /// <summary>An environment with no variables.</summary>
    public static EnvironmentScope Empty() => new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The value of <paramref name="name"/>, or null when unset.</summary>
    public string? Get(string name) => _variables.TryGetValue(name, out var value) ? value : null;

    /// <summary>Sets <paramref name="name"/>; a null value removes it.</summary>
    public void Set(string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (value is null)
        {
            _variables.Remove(name);
        }
        else
        {
            _variables[name] = value;
        }
    }

    /// <summary>An independent copy.</summary>
    public EnvironmentScope Clone() => new(new Dictionary<string, string>(_variables, StringComparer.Ordinal));
}
