using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Storage;
using Microsoft.Extensions.Logging;

namespace Megatest.Scheduling;

/// <summary>
/// What lets a coordinator die at any moment and start again without losing or repeating work:
/// every run it carries out is recorded in the database (coordinator_runs) before its tests launch; a coordinator
/// that starts resumes each unfinished run from the database, takes over the tests agents still run (they tell it
/// in their heartbeats) and ends tests no agent claims within the agent time-out; a repeated RunRequest (same
/// message id, a client that lost its answer) continues the same run; requests to the db writer left unanswered
/// are sent again with their message id, so a db writer restart loses none and applies none twice.
/// </summary>
public sealed partial class CoordinatorService
{
    private static readonly TimeSpan s_resendAfter = TimeSpan.FromSeconds(3);
    private readonly Dictionary<Guid, RunPlan> _byRequest = [];
    private readonly Dictionary<Guid, ControlAck> _acks = [];
    private readonly Dictionary<Guid, RunEnded> _endedRuns = [];
    private readonly Dictionary<long, long> _unclaimed = [];
    private readonly Dictionary<Guid, Unanswered> _unanswered = [];
    private string? _databasePath;

    private sealed record Unanswered(PacketHeader Header, IPacket Packet, long SentAt);

    /// <summary>Resumes every run an earlier coordinator of this area left unfinished (called once, when the change stream is live).</summary>
    private void ResumeRuns()
    {
        if (!_options.Resumable)
        {
            return;
        }

        List<CoordinatorRun> records;
        var gone = new List<CoordinatorRun>();
        try
        {
            if (!File.Exists(DatabasePath))
            {
                return;
            }

            using var db = MegatestQueries.Open(DatabasePath);
            records = [.. db.UnfinishedCoordinatorRuns()];
            // A run removed meanwhile (by a coordinator inside megatest -remove-runs) is not brought back.
            gone.AddRange(records.Where(r => db.GetRun(r.RunId) is null or { State: "deleted" }));
            records.RemoveAll(gone.Contains);
        }
        catch (Exception ex) when (ex is ConfigException or AreaNotFoundException or StorageException or IOException)
        {
            _logger.LogWarning("cannot look for unfinished runs to resume: {Error}", ex.Message);
            return;
        }

        // One run, one request: of two unfinished records of a run only the newest can be current.
        foreach (var stale in records.GroupBy(r => r.RunId).SelectMany(g => g.SkipLast(1)).Concat(gone))
        {
            Request(RecordOf(stale, CoordinatorRun.Ended), _ => { });
        }

        foreach (var record in records.GroupBy(r => r.RunId).Select(g => g.Last()))
        {
            ResumeRun(record);
        }
    }

    private void ResumeRun(CoordinatorRun record)
    {
        RunPlan plan;
        try
        {
            if (!PacketCodec.TryDecodeBody(PacketCode.RunRequest, Convert.FromBase64String(record.Request), out var body, out var error))
            {
                throw new InvalidOperationException("the recorded request does not decode: " + error);
            }

            var request = (RunRequest)body!;
            var running = record.State == CoordinatorRun.Running;
            if (running)
            {
                // The start resets (-rerun-all, -rerun-clean, -force, -rerun LIST) were applied before any test launched;
                // applying the relaunch options again would run tests this run has already run.
                request.Preclean |= request.RerunAll || request.RerunClean;
                request.Force = false;
                request.RerunStatuses = [];
            }

            plan = PlanRun(request);
            plan.RunId = record.RunId;
            plan.RequestId = Guid.ParseExact(record.RequestId, "N");
            plan.Requester = record.Requester.Length > 0 ? Convert.FromBase64String(record.Requester) : null;
            _logger.LogInformation("resuming run {RunId} {Target}/{RunName} ({State} when the previous coordinator stopped)", record.RunId, record.Target, record.RunName, record.State);
            StartRun(plan, resume: running);
        }
        catch (Exception ex) when (ex is PlanException or ConfigException or TargetException or AreaNotFoundException or IOException or InvalidOperationException or ArgumentException or FormatException)
        {
            _logger.LogError("cannot resume run {RunId} {Target}/{RunName}: {Error}; it is given up", record.RunId, record.Target, record.RunName, ex.Message);
            Request(RecordOf(record, CoordinatorRun.Ended), _ => { });
        }
    }

    /// <summary>
    /// A resumed run's rows that show a test in flight: they count as launched (the run does not end under them) until
    /// an agent says it runs them, they end, or the agent time-out passes without either.
    /// </summary>
    private void TakeOverInFlight(RunPlan plan)
    {
        var deadline = Environment.TickCount64 + (long)_options.AgentTimeout.TotalMilliseconds;
        using var db = OpenDatabase(plan);
        foreach (var row in plan.Rows.Where(r => States.IsRunning(r.State) && !plan.InFlight.Contains(r.Id)).ToList())
        {
            // An itemized test's toplevel only mirrors its items; tests outside the plan are not this run's to judge.
            if (!plan.Tests.TryGetValue(row.TestName, out var test) || (test.IsItemized && row.ItemPath.Length == 0) || !plan.Pattern.Matches(row.TestName, row.ItemPath))
            {
                continue;
            }

            row.Settled = true;
            plan.InFlight.Add(row.Id);
            plan.Attempts[row.Id] = AttemptOf(db, row.Id);
            _unclaimed[row.Id] = deadline;
        }

        if (_unclaimed.Count > 0)
        {
            _logger.LogInformation("run {RunId}: {Count} tests were in flight; waiting up to {Seconds:0.#} s for their agents", plan.RunId, plan.InFlight.Count, _options.AgentTimeout.TotalSeconds);
        }
    }

    private MegatestQueries? OpenDatabase(RunPlan plan)
    {
        try
        {
            return MegatestQueries.Open(plan.Area.DatabasePath);
        }
        catch (StorageException ex)
        {
            _logger.LogWarning("cannot read {Path}: {Error}", plan.Area.DatabasePath, ex.Message);
            return null;
        }
    }

    /// <summary>The attempt a test is on: K of its latest <c>attempt-K</c> step (the agent records attempts after the first), else 1.</summary>
    private static int AttemptOf(MegatestQueries? db, long testId) =>
        db?.Steps(testId).Select(s => s.StepName.StartsWith("attempt-", StringComparison.Ordinal) && int.TryParse(s.StepName.AsSpan(8), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var k) ? k : 1)
            .DefaultIfEmpty(1).Max() ?? 1;

    /// <summary>An agent's heartbeat lists the tests it runs: those of resumed runs are its again.</summary>
    private void AdoptRunning(AgentInfo agent, long[] running)
    {
        foreach (var id in running)
        {
            if (_placement.ContainsKey(id) || !_unclaimed.Remove(id))
            {
                continue;
            }

            var plan = _plans.Values.FirstOrDefault(p => p.InFlight.Contains(id));
            if (plan?.RowById(id) is not { } row)
            {
                continue;
            }

            _placement[id] = agent;
            _groupOf[id] = plan.Tests.TryGetValue(row.TestName, out var test) ? test.JobGroup : null;
            agent.Running.Add(id);
            _logger.LogInformation("agent {Agent} still runs {Test}/{Item} of run {RunId}", agent.AgentId, row.TestName, row.ItemPath, plan.RunId);
        }
    }

    /// <summary>A test in flight that no agent claimed ended by itself (its last status reached the database).</summary>
    private void ReleaseIfEnded(RunPlan plan, RowState row)
    {
        if (!States.IsRunning(row.State) && _unclaimed.Remove(row.Id))
        {
            plan.InFlight.Remove(row.Id);
        }
    }

    /// <summary>
    /// Tests of resumed runs that no agent claimed within the agent time-out: one still LAUNCHED never reached an agent
    /// and is launched again as the same attempt; one that had started ends INCOMPLETE/DEAD and runs again per [setup] reruns.
    /// </summary>
    private void EndUnclaimed()
    {
        var now = Environment.TickCount64;
        foreach (var (id, deadline) in _unclaimed.ToList())
        {
            var plan = _plans.Values.FirstOrDefault(p => p.InFlight.Contains(id));
            if (plan?.RowById(id) is not { } row || !States.IsRunning(row.State))
            {
                _unclaimed.Remove(id);
                plan?.InFlight.Remove(id);
                continue;
            }

            if (now < deadline)
            {
                continue;
            }

            _unclaimed.Remove(id);
            plan.InFlight.Remove(id);
            if (row.State == States.Launched)
            {
                _logger.LogWarning("{Test}/{Item} was launched but no agent took it before the coordinator restarted: launching it again", row.TestName, row.ItemPath);
                plan.Attempts[id] = Math.Max(0, plan.Attempts.GetValueOrDefault(id) - 1);
                row.Settled = false;
                if (plan.Tests.TryGetValue(row.TestName, out var test))
                {
                    test.Finished = false;
                }

                Request(new StatusChange { TestId = id, State = States.NotStarted, Status = Statuses.NA, Comment = "" }, _ => { }, plan);
                continue;
            }

            _logger.LogWarning("{Test}/{Item} was {State} but no agent claimed it within {Seconds:0.#} s of the coordinator restart: it ends INCOMPLETE", row.TestName, row.ItemPath, row.State, _options.AgentTimeout.TotalSeconds);
            Request(new StatusChange { TestId = id, State = States.Incomplete, Status = Statuses.Dead, Comment = "no agent ran it any more after the coordinator restarted" }, _ => { }, plan);
        }
    }

    /// <summary>
    /// Answers a RunRequest seen before (same message id: the client sent it again after a lost answer or a coordinator
    /// restart, or to keep following the run). True when it was a repeat.
    /// </summary>
    private bool AnswerRepeat(ReceivedPacket p)
    {
        var id = p.Header.MessageId;
        if (_endedRuns.TryGetValue(id, out var ended))
        {
            Reply(p, _acks.GetValueOrDefault(id) ?? new ControlAck { Accepted = true, RunId = ended.RunId, Reason = ended.Message });
            Reply(p, ended);
            return true;
        }

        if (_byRequest.TryGetValue(id, out var plan))
        {
            plan.Requester = p.Routing; // it may come back on another connection
            if (_acks.TryGetValue(id, out var ack))
            {
                Reply(p, ack);
            }

            return true; // else the answer goes out when the run is registered
        }

        if (_acks.TryGetValue(id, out var refused))
        {
            Reply(p, refused);
            return true;
        }

        if (FindRecord(id) is not { State: CoordinatorRun.Ended } record)
        {
            return false;
        }

        // Ended under an earlier coordinator: tell the outcome as the database has it.
        Request(new SnapshotRequest { RunId = record.RunId }, reply =>
        {
            var rows = ((Snapshot)reply).Rows;
            var counts = rows.GroupBy(r => r.State + "/" + r.Status).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
            var message = $"run {record.Target}/{record.RunName} ended: " + string.Join(", ", counts.Select(kv => $"{kv.Value} {kv.Key}"));
            var summary = new RunSummary { RunId = record.RunId, Target = record.Target, RunName = record.RunName, State = "", Status = "", Counts = counts };
            Reply(p, new ControlAck { Accepted = true, RunId = record.RunId, Reason = $"run {record.RunId} {record.Target}/{record.RunName} has ended" });
            Reply(p, new RunEnded { RunId = record.RunId, Summary = summary, Message = message });
        });
        return true;
    }

    /// <summary>The area's megatest.db (the area is read once for it).</summary>
    private string DatabasePath => _databasePath ??= AreaConfig.Load(_options.AreaPath, null, EnvironmentScope.FromProcess()).DatabasePath;

    private CoordinatorRun? FindRecord(Guid requestId)
    {
        try
        {
            if (!_options.Resumable || !File.Exists(DatabasePath))
            {
                return null;
            }

            using var db = MegatestQueries.Open(DatabasePath);
            return db.FindCoordinatorRun(requestId.ToString("N"));
        }
        catch (Exception ex) when (ex is ConfigException or AreaNotFoundException or StorageException or IOException)
        {
            _logger.LogWarning("cannot look up run request {Id}: {Error}", requestId, ex.Message);
            return null;
        }
    }

    /// <summary>Answers the client of a run (kept for a repeat of its request).</summary>
    private void AckRun(RunPlan plan, ControlAck ack, bool send = true)
    {
        _acks[plan.RequestId] = ack;
        if (send && plan.Requester is not null)
        {
            _router!.SendPacket(_stamp, ack, plan.RequestId, plan.Requester);
        }
    }

    private void RunFinished(RunPlan plan, RunEnded ended)
    {
        _byRequest.Remove(plan.RequestId);
        _endedRuns[plan.RequestId] = ended;
        RecordRun(plan, CoordinatorRun.Ended);
    }

    private void RecordRun(RunPlan plan, string state, Action? then = null)
    {
        if (!_options.Resumable)
        {
            then?.Invoke();
            return;
        }

        var request = plan.Request;
        var record = new CoordinatorRun(plan.RequestId.ToString("N"), plan.RunId, request.Target, request.RunName, request.TestPatt, request.Owner,
            plan.Requester is null ? "" : Convert.ToBase64String(plan.Requester), Convert.ToBase64String(PacketCodec.EncodeBody(request)), state, 0);
        // A refusal is logged by Request; the run goes on, it only could not be resumed after a restart.
        Request(RecordOf(record, state), _ => then?.Invoke(), state == CoordinatorRun.Ended ? null : plan);
    }

    private static RecordRunRequest RecordOf(CoordinatorRun run, string state) => new()
    {
        RequestId = run.RequestId,
        RunId = run.RunId,
        Target = run.Target,
        RunName = run.RunName,
        TestPatt = run.TestPatt,
        Owner = run.Owner,
        Requester = run.Requester,
        Request = run.Request,
        State = state,
    };

    /// <summary>Requests the db writer has not answered in a while go again with their message id (a restarted db writer never saw them).</summary>
    private void ResendUnanswered()
    {
        var now = Environment.TickCount64;
        foreach (var (id, pending) in _unanswered.Where(kv => now - kv.Value.SentAt > s_resendAfter.TotalMilliseconds).ToList())
        {
            _unanswered[id] = pending with { SentAt = now };
            _db!.SendPacket(pending.Header, pending.Packet);
        }
    }
}
