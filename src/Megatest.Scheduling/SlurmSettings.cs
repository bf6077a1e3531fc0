using System.Globalization;
using Megatest.Config;

namespace Megatest.Scheduling;

/// <summary>
/// The Slurm launcher's settings, from megatest.config: Slurm is selected by <c>[jobtools] launcher slurm</c>
/// and tuned in <c>[slurm]</c> (<c>mode</c>, <c>partition</c>, <c>time-limit</c>, <c>max-agent-jobs</c>,
/// <c>slots</c>, <c>idle-exit</c>, <c>sbatch-options</c>, <c>output</c>, <c>megatest</c>, <c>coordinator</c>,
/// <c>dbwriter</c>). README "Slurm" documents every key.
/// </summary>
public sealed record SlurmSettings
{
    /// <summary>Label of the agents the pool starts; with <c>[jobtools] launcher slurm</c> every test may go to them.</summary>
    public const string Label = "slurm";

    /// <summary>Agent jobs or one job per test.</summary>
    public SlurmMode Mode { get; init; } = SlurmMode.AgentJobs;

    /// <summary>Partition jobs are submitted to (empty: Slurm's default partition).</summary>
    public string Partition { get; init; } = "";

    /// <summary>Time limit of each job in Slurm's syntax (minutes, or <c>D-HH:MM:SS</c>).</summary>
    public string TimeLimit { get; init; } = "60";

    /// <summary>Most Slurm jobs of this coordinator queued or running at once.</summary>
    public int MaxJobs { get; init; } = 4;

    /// <summary>Slots of each agent job (job-per-test mode: always 1).</summary>
    public int Slots { get; init; } = Environment.ProcessorCount;

    /// <summary>An agent job with nothing to run for this long exits.</summary>
    public int IdleExitSeconds { get; init; } = 30;

    /// <summary>Extra sbatch arguments, split on white space (e.g. <c>--account=regress --mem=2G</c>).</summary>
    public string SbatchOptions { get; init; } = "";

    /// <summary>sbatch <c>--output</c> of each job (default /dev/null; <c>%j</c> is the job id).</summary>
    public string Output { get; init; } = "/dev/null";

    /// <summary>The megatest executable jobs start (default: the running one).</summary>
    public string? Megatest { get; init; }

    /// <summary>Coordinator endpoint jobs connect to (default: the coordinator's bound endpoint).</summary>
    public string? Coordinator { get; init; }

    /// <summary>Db writer endpoint jobs connect to (default: the coordinator's db writer endpoint).</summary>
    public string? DbWriter { get; init; }

    /// <summary>Whether the area sends its tests to Slurm (<c>[jobtools] launcher slurm</c>).</summary>
    public static bool IsSelected(ConfigData megatest)
    {
        ArgumentNullException.ThrowIfNull(megatest);
        var launcher = megatest.Get("jobtools", "launcher")?.Trim() ?? "";
        return string.Equals(launcher.Split([' ', '\t'], 2)[0], "slurm", StringComparison.Ordinal);
    }

    /// <summary>
    /// Host types whose <c>[host-types]</c> launcher is <c>slurm</c> (with <c>[jobtools] flexi-launcher</c> on): tests the
    /// <c>[launchers]</c> lines give such a host type go to Slurm agents labelled with it.
    /// </summary>
    public static IReadOnlySet<string> HostTypes(ConfigData megatest)
    {
        ArgumentNullException.ThrowIfNull(megatest);
        var flexi = megatest.Get("jobtools", "flexi-launcher")?.Trim();
        var types = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(flexi) || flexi == "no")
        {
            return types;
        }

        foreach (var (hostType, command) in megatest.Section("host-types"))
        {
            if (string.Equals(command.Trim().Split([' ', '\t'], 2)[0], "slurm", StringComparison.Ordinal))
            {
                types.Add(hostType.Trim());
            }
        }

        return types;
    }

    /// <summary>Reads <c>[slurm]</c>; throws <see cref="ArgumentException"/> naming the key of a bad value.</summary>
    public static SlurmSettings From(ConfigData megatest)
    {
        ArgumentNullException.ThrowIfNull(megatest);
        string? Get(string key) => megatest.Get("slurm", key)?.Trim() is { Length: > 0 } v ? v : null;
        int Int(string key, int fallback, int min) =>
            Get(key) is not { } text ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min ? n
            : throw new ArgumentException($"[slurm] {key} must be a whole number of at least {min}, not '{text}'");
        var mode = Get("mode") switch
        {
            null or "agent-jobs" => SlurmMode.AgentJobs,
            "job-per-test" => SlurmMode.JobPerTest,
            var other => throw new ArgumentException($"[slurm] mode must be agent-jobs or job-per-test, not '{other}'"),
        };
        return new SlurmSettings
        {
            Mode = mode,
            Partition = Get("partition") ?? "",
            TimeLimit = Get("time-limit") ?? "60",
            MaxJobs = Int("max-agent-jobs", mode == SlurmMode.JobPerTest ? 32 : 4, 1),
            Slots = mode == SlurmMode.JobPerTest ? 1 : Int("slots", Environment.ProcessorCount, 1),
            IdleExitSeconds = Int("idle-exit", 30, 1),
            SbatchOptions = Get("sbatch-options") ?? "",
            Output = Get("output") ?? "/dev/null",
            Megatest = Get("megatest"),
            Coordinator = Get("coordinator"),
            DbWriter = Get("dbwriter"),
        };
    }
}
