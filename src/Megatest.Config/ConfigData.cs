namespace Megatest.Config;

/// <summary>
/// The result of reading a config: ordered sections of ordered keys. Redefining a key replaces its
/// value and moves it to the end of its section.
/// </summary>
public sealed class ConfigData
{
    private readonly List<string> _sectionOrder = [];
    private readonly Dictionary<string, List<Entry>> _sections = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];

    /// <summary>Section names in the order they were first created.</summary>
    public IReadOnlyList<string> SectionNames => _sectionOrder;

    /// <summary>Warnings collected while reading (not printed).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>True when the section exists (possibly empty).</summary>
    public bool HasSection(string section) => _sections.ContainsKey(section);

    /// <summary>The section's keys and values in file order; empty when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Section(string section) =>
        _sections.TryGetValue(section, out var entries)
            ? entries.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)).ToList()
            : [];

    /// <summary>The value of <paramref name="key"/> in <paramref name="section"/>, or null.</summary>
    public string? Get(string section, string key) => Find(section, key)?.Value;

    /// <summary>Sets a value (creating the section); the key moves to the end of the section.</summary>
    public void Set(string section, string key, string value) => Set(section, key, value, null);

    /// <summary>Where the key was defined, or null when unknown.</summary>
    public ConfigLocation? LocationOf(string section, string key) => Find(section, key)?.Location;

    internal void Set(string section, string key, string value, ConfigLocation? location)
    {
        var entries = EnsureSection(section);
        var index = entries.FindIndex(e => e.Key == key);
        if (index >= 0)
        {
            entries.RemoveAt(index);
        }

        entries.Add(new Entry(key, value, location));
    }

    /// <summary>Replaces the value of an existing key in place (used while a multi-line value grows).</summary>
    internal void Update(string section, string key, string value)
    {
        if (_sections.TryGetValue(section, out var entries))
        {
            var index = entries.FindIndex(e => e.Key == key);
            if (index >= 0)
            {
                entries[index] = entries[index] with { Value = value };
            }
        }
    }

    internal List<Entry> EnsureSection(string section)
    {
        if (!_sections.TryGetValue(section, out var entries))
        {
            entries = [];
            _sections[section] = entries;
            _sectionOrder.Add(section);
        }

        return entries;
    }

    internal IReadOnlyList<Entry> Entries(string section) =>
        _sections.TryGetValue(section, out var entries) ? entries : [];

    internal void RemoveSection(string section)
    {
        if (_sections.Remove(section))
        {
            _sectionOrder.Remove(section);
        }
    }

    internal void AddWarning(string warning) => _warnings.Add(warning);

    private Entry? Find(string section, string key) =>
        _sections.TryGetValue(section, out var entries) ? entries.Find(e => e.Key == key) : null;

    internal sealed record Entry(string Key, string Value, ConfigLocation? Location);

    /// <summary>The data in config syntax: one [section] per section, "KEY VALUE" lines, multi-line values indented.</summary>
    public string ToIniText()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var section in SectionNames)
        {
            sb.Append('[').Append(section).Append("]\n");
            foreach (var (key, value) in Section(section))
            {
                sb.Append(value.Length == 0 ? key : key + " " + value.Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}
