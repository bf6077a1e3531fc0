namespace Megatest.Protocol.Transport.Security;

/// <summary>
/// The security settings of a process, as written in megatest.config <c>[services]</c> (<c>security</c>, <c>keys-dir</c>,
/// <c>key</c>, <c>server-key</c>) or given by environment and arguments.
/// </summary>
/// <param name="Mode"><c>curve</c> to secure every link, <c>none</c> (or unset) for plain links.</param>
/// <param name="KeysDir">The key directory (default <c>~/.megatest/keys</c>).</param>
/// <param name="Key">A client's key pair (default: the user name); the db writer and the coordinator always use the server key.</param>
/// <param name="ServerKey">The daemons' key pair (default <c>server</c>).</param>
public sealed record SecuritySettings(string? Mode, string? KeysDir, string? Key, string? ServerKey)
{
    /// <summary>
    /// Reads the settings from megatest.config <c>[services]</c> (through <paramref name="services"/>, key to value or null),
    /// each overridden by MEGATEST_SECURITY, MEGATEST_KEYSDIR, MEGATEST_KEY or MEGATEST_SERVERKEY when set.
    /// </summary>
    public static SecuritySettings From(Func<string, string?> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        string? Read(string key, string variable) =>
            Environment.GetEnvironmentVariable("MEGATEST_" + variable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : services(key)?.Trim() is { Length: > 0 } configured ? configured : null;
        return new SecuritySettings(Read("security", "SECURITY"), Read("keys-dir", "KEYSDIR"), Read("key", "KEY"), Read("server-key", "SERVERKEY"));
    }

    /// <summary>Plain links.</summary>
    public static SecuritySettings None { get; } = new(null, null, null, null);

    /// <summary>The default key directory.</summary>
    public static string DefaultKeysDir => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".megatest", "keys");

    /// <summary>The default name of the daemons' key.</summary>
    public const string DefaultServerKey = "server";

    /// <summary>True when the links are to be secured.</summary>
    public bool Enabled => Mode?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" or "off" => false,
        "curve" => true,
        _ => throw new KeyFileException($"[services] security {Mode}: expected curve or none"),
    };

    /// <summary>The key directory in force.</summary>
    public string KeysDirectory => KeysDir is { Length: > 0 } dir ? dir : DefaultKeysDir;

    /// <summary>The daemons' key name in force.</summary>
    public string ServerKeyName => ServerKey is { Length: > 0 } name ? name : DefaultServerKey;

    /// <summary>The key name this process uses: a daemon serving links (<paramref name="serves"/>) uses the server key, the others <see cref="Key"/> or the user name.</summary>
    public string KeyName(bool serves) => serves ? ServerKeyName : Key is { Length: > 0 } name ? name : Environment.UserName;

    /// <summary>Loads the keys when security is on, else null. Throws <see cref="KeyFileException"/> naming the missing or bad file.</summary>
    public TransportSecurity? Load(bool serves) =>
        Enabled ? TransportSecurity.Load(KeysDirectory, KeyName(serves), ServerKeyName) : null;
}
