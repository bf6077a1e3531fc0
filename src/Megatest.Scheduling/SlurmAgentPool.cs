using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megatest.Scheduling;

/// <summary>
/// The Slurm launcher (README "Slurm"). Called on the coordinator's timer, it keeps enough Slurm jobs
/// submitted for the tests that wait to be placed: each job runs <c>megatest agent --labels slurm</c> that
/// registers with this coordinator, runs tests and exits when idle (agent-jobs mode), or a one-shot agent that
/// takes one test and exits (job-per-test mode). It follows its jobs with squeue: a job cancelled or failed
/// is forgotten (its agent's tests were already ended INCOMPLETE by the agent time-out or its goodbye and
/// run again per <c>[setup] reruns</c>) and replaced while work waits. Jobs that never registered are
/// cancelled when no run needs them; all jobs are cancelled when the coordinator stops. The sbatch, squeue
/// and scancel calls run off the coordinator's thread.
/// </summary>
public sealed class SlurmAgentPool : IDisposable
{
    private static readonly string[] s_ended = ["BOOT_FAIL", "CANCELLED", "COMPLETED", "DEADLINE", "FAILED", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "TIMEOUT", "SPECIAL_EXIT", "REVOKED"];
    private readonly string _dbWriterEndpoint;
    private readonly ILogger _logger;
    private readonly SlurmCommands _slurm;
    private readonly string _jobName = $"megatest-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly object _lock = new();
    private readonly Dictionary<string, SlurmJob> _jobs = new(StringComparer.Ordinal);
    private Task _work = Task.CompletedTask;
    private long _lastPoll;
    private string? _configError;
    private bool _disposed;

    /// <summary>Creates the pool; it submits nothing until an area selects Slurm.</summary>
    public SlurmAgentPool(string dbWriterEndpoint, ILogger? logger = null, SlurmCommands? commands = null)
    {
        _dbWriterEndpoint = dbWriterEndpoint;
        _logger = logger ?? NullLogger.Instance;
        _slurm = commands ?? new SlurmCommands();
    }

    /// <summary>The Slurm job name of this pool's jobs (one per coordinator process).</summary>
    public string JobName => _jobName;

    /// <summary>Ids of the jobs this pool submitted that Slurm still lists.</summary>
    public IReadOnlyList<string> JobIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _jobs.Keys];
            }
        }
    }

    /// <summary>
    /// One look at the work: <paramref name="plans"/> are the coordinator's runs, <paramref name="agents"/> the agents
    /// registered now. Returns at once; Slurm commands run in the background, one batch at a time.
    /// </summary>
    public void Tick(string coordinatorEndpoint, IEnumerable<RunPlan> plans, IEnumerable<AgentInfo> agents)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(agents);
        if (_disposed)
        {
            return;
        }

        // Which waiting rows are Slurm's, by the label of the agents that may take them.
        var demand = new Dictionary<string, int>(StringComparer.Ordinal);
        var active = new List<RunPlan>();
        foreach (var plan in plans.Where(p => p.Ready && !p.Ended))
        {
            var all = SlurmSettings.IsSelected(plan.Area.Megatest);
            var hostTypes = SlurmSettings.HostTypes(plan.Area.Megatest);
            if (!all && hostTypes.Count == 0)
            {
                continue;
            }

            active.Add(plan);
            var rules = new LauncherRules(plan.Area.Megatest);
            foreach (var row in Scheduler.Waiting(plan))
            {
                var hostType = rules.HostTypeFor(row.TestName, row.ItemPath);
                var label = hostType is null ? (all ? SlurmSettings.Label : null) : hostTypes.Contains(hostType) ? hostType : null;
                if (label is not null)
                {
                    demand[label] = demand.GetValueOrDefault(label) + 1;
                }
            }
        }

        bool any;
        bool starting;
        lock (_lock)
        {
            any = _jobs.Count > 0;
            starting = _jobs.Values.Any(j => !j.Registered) || !_work.IsCompleted;
        }

        if (starting)
        {
            // Rows that wait for Slurm jobs to start their agents are waiting, not stalled: the coordinator must not
            // give up on them as rows whose prerequisites can never be met.
            foreach (var plan in active.Where(p => Scheduler.Waiting(p).Any()))
            {
                plan.StallTicks = 0;
            }
        }

        if (!_work.IsCompleted)
        {
            return;
        }

        if (active.Count == 0 && !any)
        {
            return;
        }

        SlurmSettings? settings = null;
        if (active.Count > 0)
        {
            try
            {
                settings = SlurmSettings.From(active[0].Area.Megatest);
                _configError = null;
            }
            catch (ArgumentException ex)
            {
                if (_configError != ex.Message)
                {
                    _logger.LogError("slurm launcher: {Error}", ex.Message);
                    _configError = ex.Message;
                }

                return;
            }
        }

        var registered = agents.Where(a => a.AgentId.StartsWith("slurm-", StringComparison.Ordinal))
            .ToDictionary(a => a.AgentId["slurm-".Length..], a => Math.Max(0, a.Available), StringComparer.Ordinal);
        var area = active.Count > 0 ? active[0].Area.TopPath : "";
        _work = Task.Run(() => Reconcile(settings, demand, registered, coordinatorEndpoint, area));
    }

    /// <summary>Cancels every job of this pool still queued or running.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _work.Wait(TimeSpan.FromSeconds(30));
        List<string> ids;
        lock (_lock)
        {
            ids = [.. _jobs.Keys];
            _jobs.Clear();
        }

        if (ids.Count > 0)
        {
            Cancel(ids, "coordinator stopping");
        }
    }

    private void Reconcile(SlurmSettings? settings, Dictionary<string, int> demand, Dictionary<string, int> registered, string coordinator, string area)
    {
        try
        {
            var now = Environment.TickCount64;
            if (now - _lastPoll >= 2000)
            {
                _lastPoll = now;
                Poll();
            }

            Dictionary<string, SlurmJob> jobs;
            lock (_lock)
            {
                foreach (var id in registered.Keys)
                {
                    if (_jobs.TryGetValue(id, out var job))
                    {
                        job.Registered = true;
                    }
                }

                jobs = new Dictionary<string, SlurmJob>(_jobs, StringComparer.Ordinal);
            }

            var count = jobs.Count;
            foreach (var label in jobs.Values.Select(j => j.Label).Concat(demand.Keys).Distinct(StringComparer.Ordinal).ToList())
            {
                var mine = jobs.Where(j => j.Value.Label == label).ToList();
                var unregistered = mine.Where(j => !j.Value.Registered).ToList();
                var waiting = settings is null ? 0 : demand.GetValueOrDefault(label);
                if (waiting == 0)
                {
                    // Nothing of this label waits: jobs still queued would only start agents with nothing to do.
                    var stale = unregistered.Where(j => now - j.Value.SubmittedAt > 3000).Select(j => j.Key).ToList();
                    if (stale.Count > 0)
                    {
                        Cancel(stale, "no test waits for them");
                        lock (_lock)
                        {
                            stale.ForEach(id => _jobs.Remove(id));
                        }

                        count -= stale.Count;
                    }

                    continue;
                }

                var capacity = mine.Where(j => j.Value.Registered).Sum(j => registered.GetValueOrDefault(j.Key)) + (unregistered.Count * settings!.Slots);
                var need = waiting - capacity;
                var submit = need <= 0 ? 0 : Math.Min((need + settings!.Slots - 1) / settings.Slots, settings.MaxJobs - count);
                for (var i = 0; i < submit && !_disposed; i++)
                {
                    Submit(settings!, coordinator, area, label);
                    count++;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException or IOException)
        {
            _logger.LogError("slurm launcher: {Error}", ex.Message);
        }
    }

    private void Submit(SlurmSettings settings, string coordinator, string area, string label)
    {
        var args = new List<string> { "--parsable", "--job-name", _jobName, "--time", settings.TimeLimit, "--output", settings.Output, "--ntasks", "1" };
        if (settings.Partition.Length > 0)
        {
            args.AddRange(["--partition", settings.Partition]);
        }

        if (area.Length > 0)
        {
            args.AddRange(["--chdir", area]);
        }

        args.AddRange(settings.SbatchOptions.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        args.AddRange(["--wrap", AgentCommand(settings, coordinator, label)]);
        var (code, stdout, stderr) = _slurm.Run("sbatch", args);
        var id = stdout.Trim().Split(';')[0];
        if (code != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
        {
            throw new InvalidOperationException($"sbatch failed ({code}): {stderr.Trim()}{stdout.Trim()}");
        }

        lock (_lock)
        {
            _jobs[id] = new SlurmJob { SubmittedAt = Environment.TickCount64, Label = label };
        }

        _logger.LogInformation("slurm: submitted {Mode} job {JobId} for {Label}", settings.Mode == SlurmMode.AgentJobs ? "agent" : "one-test agent", id, label);
    }

    /// <summary>The shell command of an agent job (sbatch <c>--wrap</c>).</summary>
    public string AgentCommand(SlurmSettings settings, string coordinator, string label = SlurmSettings.Label)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var exe = settings.Megatest ?? Environment.ProcessPath ?? "megatest";
        var coord = Connectable(settings.Coordinator ?? coordinator);
        var db = Connectable(settings.DbWriter ?? _dbWriterEndpoint);
        var slots = settings.Slots.ToString(CultureInfo.InvariantCulture);
        var idle = settings.IdleExitSeconds.ToString(CultureInfo.InvariantCulture);
        var oneShot = settings.Mode == SlurmMode.JobPerTest ? " --max-tests 1" : "";
        return $"exec {Quote(exe)} agent --coordinator {Quote(coord)} --dbwriter {Quote(db)} --slots {slots} --labels {Quote(label)}"
            + $" --idle-exit {idle}{oneShot} --agent-id slurm-$SLURM_JOB_ID --host \"$(hostname)\"";
    }

    private void Poll()
    {
        List<string> ids;
        lock (_lock)
        {
            ids = [.. _jobs.Keys];
        }

        if (ids.Count == 0)
        {
            return;
        }

        var (code, stdout, stderr) = _slurm.Run("squeue", ["-h", "-t", "all", "-n", _jobName, "-o", "%i|%T|%r"]);
        if (code != 0)
        {
            _logger.LogWarning("squeue failed ({Code}): {Error}", code, stderr.Trim());
            return;
        }

        var listed = new Dictionary<string, (string State, string Reason)>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length >= 2)
            {
                listed[parts[0]] = (parts[1], parts.Length > 2 ? parts[2] : "");
            }
        }

        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (listed.TryGetValue(id, out var s) && !s_ended.Contains(s.State, StringComparer.Ordinal))
                {
                    continue;
                }

                var state = listed.TryGetValue(id, out var seen) ? seen.State : "gone";
                var level = state is "COMPLETED" or "gone" ? LogLevel.Information : LogLevel.Warning;
                _logger.Log(level, "slurm: job {JobId} ended ({State}); its agent's unfinished tests are run again per [setup] reruns", id, state);
                _jobs.Remove(id);
            }
        }
    }

    private void Cancel(IReadOnlyList<string> ids, string why)
    {
        try
        {
            var (code, _, stderr) = _slurm.Run("scancel", [.. ids]);
            _logger.LogInformation("slurm: cancelled jobs {Jobs} ({Why}){Error}", string.Join(",", ids), why, code == 0 ? "" : ": " + stderr.Trim());
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            _logger.LogWarning("scancel failed: {Error}", ex.Message);
        }
    }

    private static string Connectable(string endpoint) =>
        endpoint.Replace("tcp://0.0.0.0:", $"tcp://{Environment.MachineName}:", StringComparison.Ordinal)
            .Replace("tcp://*:", $"tcp://{Environment.MachineName}:", StringComparison.Ordinal);

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
