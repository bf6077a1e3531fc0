using Megatest.Config;
using Megatest.Protocol.Transport.Security;

namespace Megatest.Cli;

/// <summary>
/// The <c>[services]</c> section of megatest.config: where the daemon roles of an area listen.
/// Keys <c>coordinator</c>, <c>dbwriter</c> and <c>dbwriter-publish</c>, each a <c>tcp://HOST:PORT</c> endpoint, and the
/// security keys <c>security</c>, <c>keys-dir</c>, <c>key</c>, <c>server-key</c> (see <see cref="SecuritySettings"/>).
/// </summary>
/// <param name="Coordinator">The coordinator's ROUTER endpoint, or null when not set.</param>
/// <param name="DbWriter">The db writer's ROUTER endpoint, or null.</param>
/// <param name="DbWriterPublish">The db writer's change-stream PUB endpoint, or null.</param>
public sealed record ServiceEndpoints(string? Coordinator, string? DbWriter, string? DbWriterPublish)
{
    /// <summary>The section name in megatest.config.</summary>
    public const string Section = "services";

    /// <summary>The security settings: [services] overridden by MEGATEST_SECURITY, MEGATEST_KEYSDIR, MEGATEST_KEY, MEGATEST_SERVERKEY.</summary>
    public SecuritySettings Security { get; init; } = SecuritySettings.None;

    /// <summary>Loads the keys of a client of the daemons (null when the links are plain).</summary>
    public TransportSecurity? ClientSecurity() => Security.Load(serves: false);

    /// <summary>Nothing configured.</summary>
    public static ServiceEndpoints None { get; } = new(null, null, null);

    /// <summary>Reads the section from a loaded area; endpoints in the area's <c>.homehost</c> pointer take precedence.</summary>
    public static ServiceEndpoints From(AreaConfig area)
    {
        ArgumentNullException.ThrowIfNull(area);
        var configured = From(area.Megatest);
        return HomePointer.Read(area.TopPath)?.Services is { Coordinator: not null } home
            ? configured with { Coordinator = home.Coordinator, DbWriter = home.DbWriter ?? configured.DbWriter, DbWriterPublish = home.DbWriterPublish ?? configured.DbWriterPublish }
            : configured;
    }

    /// <summary>Reads the section from megatest.config data.</summary>
    public static ServiceEndpoints From(ConfigData config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ServiceEndpoints(Value(config, "coordinator"), Value(config, "dbwriter"), Value(config, "dbwriter-publish"))
        {
            Security = SecuritySettings.From(key => Value(config, key)),
        };
    }

    /// <summary>Loads the area found from <paramref name="directory"/> (without a target) and reads the section; None when there is no area.</summary>
    public static ServiceEndpoints FromDirectory(string directory)
    {
        try
        {
            return From(AreaConfig.Load(directory, null, EnvironmentScope.FromProcess()));
        }
        catch (AreaNotFoundException)
        {
            return None;
        }
    }

    /// <summary>Turns a bind address into one a client can connect to (0.0.0.0 and * become 127.0.0.1).</summary>
    public static string Connectable(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Replace("tcp://0.0.0.0:", "tcp://127.0.0.1:", StringComparison.Ordinal)
            .Replace("tcp://*:", "tcp://127.0.0.1:", StringComparison.Ordinal);
    }

    private static string? Value(ConfigData config, string key) =>
        config.Get(Section, key)?.Trim() is { Length: > 0 } v ? v : null;
}
