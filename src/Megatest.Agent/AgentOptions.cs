namespace Megatest.Agent;

/// <summary>Where an agent connects, what it offers and which areas it serves.</summary>
public sealed class AgentOptions
{
    /// <summary>The coordinator's ROUTER endpoint.</summary>
    public required string CoordinatorEndpoint { get; init; }

    /// <summary>The db writer's ROUTER endpoint.</summary>
    public required string DbWriterEndpoint { get; init; }

    /// <summary>Where test processes on this host reach the agent; port 0 picks a free port.</summary>
    public string InTestEndpoint { get; init; } = "tcp://127.0.0.1:0";

    /// <summary>How many tests run at once (default: the number of cores).</summary>
    public int Slots { get; init; } = Environment.ProcessorCount;

    /// <summary>Host types this agent serves.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Host name the agent reports when it registers.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>Unique agent name.</summary>
    public string AgentId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The megatest executable test processes call back (MT_MEGATEST).</summary>
    public string MegatestExecutable { get; init; } = Environment.ProcessPath ?? "megatest";

    /// <summary>Area top paths this agent accepts work for; empty means any.</summary>
    public IReadOnlyList<string> Areas { get; init; } = [];

    /// <summary>How long an unacknowledged status packet waits before it is sent again.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the agent journals status packets until they are acknowledged (null: no journal, as in the embedded default).</summary>
    public string? JournalDirectory { get; init; }

    /// <summary>Exit when nothing has run for this long (<c>--idle-exit SECONDS</c>; null: never).</summary>
    public TimeSpan? IdleExit { get; init; }

    /// <summary>Take this many tests, then exit once they ended (<c>--max-tests N</c>; 0: no limit). A one-job-per-test Slurm job runs an agent with 1.</summary>
    public int MaxTests { get; init; }

    /// <summary>Slurm job the agent runs in (default: <c>SLURM_JOB_ID</c>); recorded with each test as test_data slurm/jobid.</summary>
    public string? SlurmJobId { get; init; } = Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { Length: > 0 } id ? id : null;

    /// <summary>CURVE keys and allowlist of this role's links; null for plain links (the embedded default).</summary>
    public Megatest.Protocol.Transport.Security.TransportSecurity? Security { get; init; }
}
