namespace Megatest.Protocol.Transport.Security;

/// <summary>
/// The public keys a secured daemon accepts, read from the key directory's <c>authorized_keys</c>: one
/// <c>NAME Z85KEY</c> a line, <c>#</c> starts a comment line, blank lines are ignored.
/// </summary>
public sealed class AllowList
{
    private readonly Dictionary<string, string> _nameByKey;

    private AllowList(Dictionary<string, string> nameByKey)
    {
        _nameByKey = nameByKey;
    }

    /// <summary>The file name inside the key directory.</summary>
    public const string FileName = "authorized_keys";

    /// <summary>An allowlist that accepts nobody.</summary>
    public static AllowList Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Number of keys listed.</summary>
    public int Count => _nameByKey.Count;

    /// <summary>The listed entries, by name.</summary>
    public IEnumerable<(string Name, string PublicKey)> Entries => _nameByKey.Select(e => (e.Value, e.Key)).OrderBy(e => e.Value, StringComparer.Ordinal);

    /// <summary>The name the key is listed under, or null when it is not listed.</summary>
    public string? NameOf(string publicKeyZ85) => _nameByKey.GetValueOrDefault(publicKeyZ85);

    /// <summary>Reads <paramref name="path"/>; a missing file is an empty list. Throws <see cref="KeyFileException"/> naming file and line.</summary>
    public static AllowList Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return Empty;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !KeyStore.IsName(parts[0]) || !CurveKeyPair.IsKey(parts[1]))
            {
                throw new KeyFileException($"{path}:{lineNo}: expected \"NAME Z85-PUBLIC-KEY\" (a name of letters, digits, '.', '_', '-' and a 40-character Z85 key), got \"{line}\"");
            }

            if (!names.Add(parts[0]))
            {
                throw new KeyFileException($"{path}:{lineNo}: name {parts[0]} is listed twice");
            }

            if (!map.TryAdd(parts[1], parts[0]))
            {
                throw new KeyFileException($"{path}:{lineNo}: the key of {parts[0]} is already listed as {map[parts[1]]}");
            }
        }

        return new AllowList(map);
    }
}
