namespace Megatest.Cli.Hosting;

/// <summary>
/// Settings of the daemon verbs, bound from (lowest first) megatest.config <c>[services]</c>, environment
/// variables <c>MEGATEST_NAME</c> and arguments <c>--name value</c>.
/// </summary>
public sealed class DaemonSettings
{
    /// <summary>The coordinator's endpoint (bind address for the coordinator, connect address for the others).</summary>
    public string? Coordinator { get; set; }

    /// <summary>The db writer's ROUTER endpoint.</summary>
    public string? DbWriter { get; set; }

    /// <summary>The db writer's change-stream PUB endpoint.</summary>
    public string? DbWriterPublish { get; set; }

    /// <summary>Area top path (default: the area found from the working directory).</summary>
    public string? Area { get; set; }

    /// <summary>Agent: slots (default: cores).</summary>
    public int? Slots { get; set; }

    /// <summary>Agent: host types it serves, comma separated.</summary>
    public string? Labels { get; set; }

    /// <summary>Agent: host name it reports.</summary>
    public string? Host { get; set; }

    /// <summary>Agent: unique name (default HOST-PID).</summary>
    public string? AgentId { get; set; }

    /// <summary>Agent: where test processes reach it (default tcp://127.0.0.1:0).</summary>
    public string? InTest { get; set; }

    /// <summary>Agent: exit after this many seconds with nothing to run (Slurm agent jobs).</summary>
    public double? IdleExit { get; set; }

    /// <summary>Agent: take this many tests, then exit (one Slurm job per test uses 1).</summary>
    public int? MaxTests { get; set; }

    /// <summary>Coordinator: seconds of silence after which an agent is dropped (default 10).</summary>
    public double? AgentTimeout { get; set; }

    /// <summary>Coordinator: heartbeat interval in milliseconds told to agents (default 1000).</summary>
    public int? Heartbeat { get; set; }

    /// <summary>Log format: "plain" (default) or "json".</summary>
    public string? LogFormat { get; set; }

    /// <summary>Security of every link: "curve" or "none" (default).</summary>
    public string? Security { get; set; }

    /// <summary>The key directory (default ~/.megatest/keys).</summary>
    public string? KeysDir { get; set; }

    /// <summary>Agent and monitor: this client's key pair name (default: the user name); dbwriter and coordinator use the server key.</summary>
    public string? Key { get; set; }

    /// <summary>The daemons' key pair name (default "server").</summary>
    public string? ServerKey { get; set; }

    /// <summary>The security settings as one value.</summary>
    public Megatest.Protocol.Transport.Security.SecuritySettings SecuritySettings => new(Security, KeysDir, Key, ServerKey);

    /// <summary>Monitor: print the snapshot and exit.</summary>
    public bool Once { get; set; }

    /// <summary>Argument spellings mapped to settings keys.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--coordinator"] = nameof(Coordinator),
        ["--dbwriter"] = nameof(DbWriter),
        ["--dbwriter-publish"] = nameof(DbWriterPublish),
        ["--area"] = nameof(Area),
        ["--slots"] = nameof(Slots),
        ["--labels"] = nameof(Labels),
        ["--host"] = nameof(Host),
        ["--agent-id"] = nameof(AgentId),
        ["--in-test"] = nameof(InTest),
        ["--agent-timeout"] = nameof(AgentTimeout),
        ["--idle-exit"] = nameof(IdleExit),
        ["--max-tests"] = nameof(MaxTests),
        ["--heartbeat"] = nameof(Heartbeat),
        ["--log-format"] = nameof(LogFormat),
        ["--once"] = nameof(Once),
        ["--security"] = nameof(Security),
        ["--keys-dir"] = nameof(KeysDir),
        ["--key"] = nameof(Key),
        ["--server-key"] = nameof(ServerKey),
    };

    /// <summary>The labels as a list.</summary>
    public IReadOnlyList<string> LabelList() =>
        (Labels ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Throws a usage error naming the setting when <paramref name="value"/> is missing.</summary>
    public static string Require(string? value, string name, string verb) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new UsageException($"megatest {verb} needs {name}: set [services] {name} in megatest.config, MEGATEST_{name.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant()} or --{name} ENDPOINT")
            : value;
}
