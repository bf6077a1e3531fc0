using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Storage;
using Megatest.Protocol.Transport.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Scheduling;

/// <summary>
/// Plans runs and places tests on agents. Takes control packets from CLI clients and registrations from
/// agents on one ROUTER socket, asks the db writer to record its decisions, and follows the db writer's
/// committed-change stream to know the state of every row. All its state lives on one poller thread.
/// </summary>
public sealed partial class CoordinatorService : IDisposable
{
    private static readonly TimeSpan s_probeEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>Most test rows asked for or expected in one packet (a packet body holds at most 4 MiB).</summary>
    private const int RowsPerPacket = 10_000;
    private readonly CoordinatorOptions _options;
    private readonly ILogger _logger;
    private readonly PacketStamp _stamp;
    private readonly Dictionary<string, AgentInfo> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<long, RunPlan> _plans = [];
    private readonly CancellationTokenSource _stopRequested = new();
    private readonly Dictionary<long, AgentInfo> _placement = [];

    /// <summary>
    /// Tests whose processes have ended (a TestEnded with Finishing): their slot is free, but they stay in flight until
    /// the TestEnded that says their last statuses are committed; their agent, for when it is lost before that.
    /// </summary>
    private readonly Dictionary<long, AgentInfo> _finishing = [];
    private readonly Dictionary<long, string?> _groupOf = [];
    private readonly Queue<(AgentInfo Agent, string? Group)> _reservations = new();
    private readonly ConditionalWeakTable<RunPlan, LauncherRules> _launchers = new();
    private readonly Dictionary<Guid, Action<IPacket>> _callbacks = [];
    private readonly List<ReceivedPacket> _waitingForSubscription = [];
    private readonly NetMQQueue<Action> _work = new();
    private readonly string _probeToken = Guid.NewGuid().ToString("N");
    private RouterSocket? _router;
    private DealerSocket? _db;
    private SubscriberSocket? _sub;
    private NetMQPoller? _poller;
    private NetMQTimer? _timer;
    private NetMQTimer? _probeTimer;
    private NetMQTimer? _agentTimer;
    private Thread? _thread;
    private readonly LaunchGate _gate = new();
    private readonly RollupPages _rollups = new();
    private readonly RateLimiter _controlRate;
    private readonly SlurmAgentPool _slurm;
    private readonly SemaphoreSlim _archiving = new(1, 1);

    /// <summary>-archive requests by message id: the CLI sends one again every few seconds while it waits; it runs once.</summary>
    private readonly Dictionary<Guid, ArchiveJob> _archiveJobs = [];
    private bool _subscribed;
    private PeerGate _peers = new(null, "coordinator");
    private bool _schedulePending;

    /// <summary>Creates the coordinator; nothing binds until <see cref="Start"/>.</summary>
    public CoordinatorService(CoordinatorOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _stamp = new PacketStamp(options.SenderId);
        _controlRate = new RateLimiter(options.ControlPacketsPerSecond, options.ControlPacketBurst);
        _slurm = new SlurmAgentPool(options.DbWriterEndpoint, _logger);
    }

    /// <summary>The bound ROUTER endpoint (after Start).</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Number of agents registered now.</summary>
    public int AgentCount
    {
        get
        {
            var done = new TaskCompletionSource<int>();
            _work.Enqueue(() => done.SetResult(_agents.Count));
            return done.Task.Wait(TimeSpan.FromSeconds(5)) ? done.Task.Result : -1;
        }
    }

    /// <summary>Binds, connects to the db writer and starts the poller thread.</summary>
    public void Start()
    {
        _router = Endpoints.Configure(new RouterSocket());
        Endpoint = Endpoints.Bind(_router, _options.Endpoint, _options.Security);
        _peers = new PeerGate(_options.Security, "coordinator", _logger);
        _peers.Watch(_router);
        _db = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(_db, _options.DbWriterEndpoint, _options.Security);
        _sub = Endpoints.Configure(new SubscriberSocket());
        Endpoints.Connect(_sub, _options.DbWriterPublishEndpoint, _options.Security);
        _sub.SubscribeToAnyTopic();
        _router.ReceiveReady += (_, _) => Guarded(DrainRouter);
        _db.ReceiveReady += (_, _) => Guarded(DrainDb);
        _sub.ReceiveReady += (_, _) => Guarded(DrainStream);
        _work.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var action, TimeSpan.Zero))
            {
                Guarded(action);
            }
        };
        _timer = new NetMQTimer(TimeSpan.FromMilliseconds(500));
        _timer.Elapsed += (_, _) => Guarded(OnTimer);
        _probeTimer = new NetMQTimer(s_probeEvery);
        _probeTimer.Elapsed += (_, _) => Guarded(() => _db.SendPacket(_stamp, new SubscribeProbe { Token = _probeToken }));
        _agentTimer = new NetMQTimer(_options.HeartbeatInterval);
        _agentTimer.Elapsed += (_, _) => Guarded(CheckAgents);
        _poller = [_router, _db, _sub, _work, _timer, _probeTimer, _agentTimer];
        _thread = new Thread(() => _poller.Run()) { IsBackground = true, Name = "coordinator" };
        _thread.Start();
        _logger.LogInformation("coordinator for {Area} on {Endpoint}", _options.AreaPath, Endpoint);
    }

    /// <summary>Runs until cancelled.</summary>
    public Task RunAsync(CancellationToken token) => RoleRunner.RunUntilCancelledAsync(Start, Stop, token);

    /// <summary>Stops the poller and closes the sockets.</summary>
    public void Stop()
    {
        if (_poller is null)
        {
            return;
        }

        if (_poller.IsRunning)
        {
            _poller.Stop();
        }

        _thread?.Join(TimeSpan.FromSeconds(5));
        _poller.Dispose();
        _peers.Dispose();
        _router?.Dispose();
        _db?.Dispose();
        _sub?.Dispose();
        _work.Dispose();
        _slurm.Dispose();
        _poller = null;
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    private void Guarded(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One bad packet or decision must never stop the coordinator.
            _logger.LogError(ex, "coordinator error");
        }
    }

    private void DrainRouter()
    {
        NetMQMessage? msg = null;
        while (_router!.TryReceiveMultipartMessage(TimeSpan.Zero, ref msg))
        {
            if (!_peers.Admit(_router!, msg))
            {
                msg = null;
                continue;
            }

            if (!PacketSocketExtensions.TryDecode(msg, hasRouting: true, out var received, out var error))
            {
                _logger.LogWarning("coordinator rejected a message of {Frames} frames: {Error}", msg.FrameCount, error);
                if (msg.FrameCount >= 1)
                {
                    _router!.SendPacket(_stamp, new ControlAck { Accepted = false, Reason = "bad packet: " + error }, routing: msg[0].ToByteArray());
                }

                msg = null;
                continue;
            }

            msg = null;
            OnRouterPacket(received!);
        }

        RequestSchedule();
    }

    private void OnRouterPacket(ReceivedPacket p)
    {
        var key = Encoding.UTF8.GetString(p.Routing!);
        if (_agents.TryGetValue(key, out var known))
        {
            known.LastSeen = Environment.TickCount64;
        }

        if (p.Packet.Code >= PacketCode.RunRequest && !_controlRate.TryTake(key))
        {
            Reply(p, new ControlAck { Accepted = false, Reason = $"rate limit: at most {_controlRate.PerSecond:0} control packets a second (bursts of {_controlRate.Burst}) from one client" });
            return;
        }

        switch (p.Packet)
        {
            case AgentHello hello:
                OnAgentHello(p, key, hello);
                break;
            case Heartbeat beat when known is not null:
                known.Load = beat.LoadPerCore;
                AdoptRunning(known, beat.RunningTestIds);
                break;
            case Heartbeat:
                break;
            case TestEnded ended:
                OnTestEnded(ended);
                break;
            case AgentBye bye:
                if (known is not null)
                {
                    DropAgent(key, known, "left: " + bye.Reason);
                }

                break;
            case SubscribeProbe:
                Reply(p, new ControlAck { Accepted = true, Reason = "coordinator for " + _options.AreaPath });
                break;
            case StatusQuery query:
                Request(query, reply => Reply(p, reply));
                break;
            case RunRequest when !_subscribed:
                _waitingForSubscription.Add(p);
                break;
            case RunRequest run:
                OnRunRequest(p, run);
                break;
            case RerunCleanRequest clean when _subscribed:
                OnRunRequest(p, new RunRequest { Target = clean.Target, RunName = clean.RunName, TestPatt = clean.TestPatt, RerunClean = true, Owner = p.Header.SenderId });
                break;
            case CleanRequest clean:
                OnClean(p, clean);
                break;
            case KillRequest kill:
                OnKill(p, kill);
                break;
            case ArchiveRequest archive:
                OnArchive(p, archive);
                break;
            case StopRequest stop:
                OnStop(p, stop);
                break;
            default:
                Reply(p, new ControlAck { Accepted = false, Reason = $"this coordinator does not take {p.Header.Code} packets yet" });
                break;
        }
    }

    private void OnAgentHello(ReceivedPacket p, string key, AgentHello hello)
    {
        if (hello.MaxVersion < ProtocolVersion.MinSupported || hello.MinVersion > ProtocolVersion.Current)
        {
            Reply(p, new AgentWelcome { Accepted = false, Reason = $"agent speaks protocol {hello.MinVersion}..{hello.MaxVersion}, coordinator {ProtocolVersion.MinSupported}..{ProtocolVersion.Current}" });
            return;
        }

        if (_agents.TryGetValue(key, out var old) && old.Sender == p.Header.SenderId)
        {
            // The same process introducing itself again (it missed our heartbeats): keep its record, which the
            // placements of its running tests point to.
            old.LastSeen = Environment.TickCount64;
            _logger.LogInformation("agent {Agent} on {Host} registered again", hello.AgentId, hello.Host);
            Reply(p, new AgentWelcome { Accepted = true, HeartbeatIntervalMs = (int)_options.HeartbeatInterval.TotalMilliseconds });
            return;
        }

        if (old is not null)
        {
            // A new process of the same agent (it crashed and was started again): what the old one ran is lost.
            _logger.LogWarning("agent {Agent} on {Host} started again; {Count} tests in flight end INCOMPLETE", old.AgentId, old.Host, old.Running.Count);
            LoseTests(old, "agent started again");
        }

        var agent = new AgentInfo
        {
            Identity = p.Routing!,
            AgentId = hello.AgentId,
            Sender = p.Header.SenderId,
            Host = hello.Host,
            Slots = Math.Max(1, hello.Slots),
            Labels = hello.Labels,
            LastSeen = Environment.TickCount64,
        };
        _agents[key] = agent;
        _logger.LogInformation("agent {Agent} on {Host} registered with {Slots} slots", hello.AgentId, hello.Host, hello.Slots);
        Reply(p, new AgentWelcome { Accepted = true, HeartbeatIntervalMs = (int)_options.HeartbeatInterval.TotalMilliseconds });
    }

    private void OnRunRequest(ReceivedPacket p, RunRequest request)
    {
        if (AnswerRepeat(p))
        {
            return;
        }

        RunPlan plan;
        try
        {
            plan = PlanRun(request);
        }
        catch (Exception ex) when (ex is PlanException or ConfigException or TargetException or AreaNotFoundException or IOException or InvalidOperationException or ArgumentException)
        {
            Reply(p, new ControlAck { Accepted = false, Reason = ex.Message });
            return;
        }

        if (_byRequest.Values.Any(x => !x.Ended && x.Request.Target == request.Target && x.Request.RunName == request.RunName))
        {
            Reply(p, new ControlAck { Accepted = false, Reason = $"run {request.Target}/{request.RunName} is already being run by this coordinator" });
            return;
        }

        plan.Requester = p.Routing;
        plan.RequestId = p.Header.MessageId;
        StartRun(plan, resume: false);
    }

    private RunPlan PlanRun(RunRequest request)
    {
        var env = EnvironmentScope.FromProcess();
        env.Set("PWD", _options.AreaPath);
        var area = AreaConfig.Load(_options.AreaPath, request.Target, env);
        return RunPlanner.Plan(area, request);
    }

    /// <summary>
    /// Registers the run and its rows and lets scheduling start. A new run (<paramref name="resume"/> false) is recorded
    /// first and has its start resets applied; a resumed one (a restarted coordinator's) takes its rows as they are.
    /// </summary>
    private void StartRun(RunPlan plan, bool resume)
    {
        var request = plan.Request;
        _byRequest[plan.RequestId] = plan;
        var keys = TargetKeys.Split(request.Target, plan.Area.Keys);
        Request(new RegisterRun { KeyValues = keys, RunName = request.RunName, Owner = request.Owner }, reply =>
        {
            var registered = (RunRegistered)reply;
            if (registered.RunId == 0)
            {
                _byRequest.Remove(plan.RequestId);
                AckRun(plan, new ControlAck { Accepted = false, Reason = "db writer: " + registered.Error });
                return;
            }

            plan.RunId = registered.RunId;
            _plans[plan.RunId] = plan;
            if (!resume)
            {
                RecordRun(plan, CoordinatorRun.Starting);
            }

            // Before registering: look at what the run already holds and send rows that must run again back to NOT_STARTED.
            Request(new SnapshotRequest { RunId = plan.RunId }, snapReply =>
            {
                var snap = (Snapshot)snapReply;
                foreach (var row in snap.Rows)
                {
                    plan.Apply(row);
                }

                plan.Sequence = Math.Max(plan.Sequence, snap.Sequence);
                if (resume)
                {
                    TakeOverInFlight(plan);
                }
                else
                {
                    foreach (var reset in RunStartResets.Compute(plan, snap.Rows, _logger))
                    {
                        Request(reset, _ => { }, plan);
                    }
                }

                RegisterToplevels(plan, resume);
            }, plan);
        });
    }

    private void RegisterToplevels(RunPlan plan, bool resume)
    {
        var request = plan.Request;
        var tops = plan.Order.Select(t => new TestKey { TestName = t.Name, ItemPath = "" }).ToArray();
        Request(new RegisterTests { RunId = plan.RunId, Tests = tops }, r =>
        {
            var rows = (TestsRegistered)r;
            if (rows.Error.Length > 0)
            {
                AckRun(plan, new ControlAck { Accepted = false, Reason = "db writer: " + rows.Error, RunId = plan.RunId });
                plan.Ended = true;
                return;
            }

            foreach (var row in rows.Rows)
            {
                plan.Apply(row);
            }

            foreach (var t in plan.Order)
            {
                Request(MetaOf(t), _ => { }, plan);
            }

            void Go()
            {
                plan.Ready = true;
                var note = plan.Warnings.Count == 0 ? "" : "; warnings: " + string.Join("; ", plan.Warnings);
                AckRun(plan, new ControlAck { Accepted = true, RunId = plan.RunId, Reason = $"run {plan.RunId} {request.Target}/{request.RunName}: {plan.Order.Count} tests{note}" }, send: !resume);
                _logger.LogInformation("run {RunId} {Target}/{RunName} planned with {Count} tests", plan.RunId, request.Target, request.RunName, plan.Order.Count);
                RequestSchedule();
            }

            // Nothing launches before the record says the rows are registered: a restart then never applies the resets twice.
            if (resume)
            {
                Go();
            }
            else
            {
                RecordRun(plan, CoordinatorRun.Running, Go);
            }
        }, plan);
    }

    private void OnClean(ReceivedPacket p, CleanRequest clean)
    {
        RunCleaner.Plan removal;
        try
        {
            var area = AreaConfig.Load(_options.AreaPath, null, EnvironmentScope.FromProcess());
            removal = RunCleaner.Remove(area, clean, runId => _plans.TryGetValue(runId, out var active) && !active.Ended);
        }
        catch (Exception ex) when (ex is ConfigException or AreaNotFoundException or ArgumentException or IOException or InvalidOperationException)
        {
            Reply(p, new ControlAck { Accepted = false, Reason = ex.Message });
            return;
        }

        if (removal.Runs.Count == 0)
        {
            Reply(p, new ControlAck { Accepted = true, Reason = removal.Summary });
            return;
        }

        var pending = removal.Runs.Count;
        foreach (var (runId, rows) in removal.Runs)
        {
            Request(new DeleteTests { RunId = runId, TestIds = [.. rows.Select(r => r.Id)] }, _ =>
            {
                if (--pending == 0)
                {
                    Reply(p, new ControlAck { Accepted = true, Reason = removal.Summary });
                }
            });
        }
    }

    /// <summary>
    /// -archive: the coordinator sits where the run directories are (as for -remove-runs), so it archives them itself, one
    /// request at a time on a worker thread; the rows change through the db writer and the ack comes when all is done.
    /// </summary>
    private void OnArchive(ReceivedPacket p, ArchiveRequest request)
    {
        if (_archiveJobs.TryGetValue(p.Header.MessageId, out var repeat))
        {
            // The same request again: answered when done (on the connection it came back on), never run twice.
            repeat.Requester = p;
            if (repeat.Ack is { } done)
            {
                Reply(p, done);
            }

            return;
        }

        RunArchiver archiver;
        try
        {
            archiver = new RunArchiver(AreaConfig.Load(_options.AreaPath, null, EnvironmentScope.FromProcess()), AskDb);
        }
        catch (Exception ex) when (ex is ConfigException or AreaNotFoundException or IOException)
        {
            Reply(p, new ControlAck { Accepted = false, Reason = ex.Message });
            return;
        }

        foreach (var old in _archiveJobs.Where(kv => kv.Value.Ack is not null).Select(kv => kv.Key).ToList())
        {
            _archiveJobs.Remove(old); // an answered request is only repeated while its answer is on the way
        }

        var job = new ArchiveJob { Requester = p };
        _archiveJobs[p.Header.MessageId] = job;
        var active = _plans.Where(kv => !kv.Value.Ended).Select(kv => kv.Key).ToHashSet();
        _ = Task.Run(async () =>
        {
            ControlAck ack;
            await _archiving.WaitAsync();
            try
            {
                ack = new ControlAck { Accepted = true, Reason = await archiver.RunAsync(request, active) };
            }
            catch (Exception ex) when (ex is ArchiveException or StorageException or IOException or UnauthorizedAccessException or TimeoutException)
            {
                _logger.LogWarning("-archive {Mode} failed: {Error}", request.Mode, ex.Message);
                ack = new ControlAck { Accepted = false, Reason = ex.Message };
            }
            finally
            {
                _archiving.Release();
            }

            _work.Enqueue(() =>
            {
                job.Ack = ack;
                Reply(job.Requester, ack);
            });
        });
    }

    private sealed class ArchiveJob
    {
        public required ReceivedPacket Requester { get; set; }

        public ControlAck? Ack { get; set; }
    }

    /// <summary>Sends a packet to the db writer from any thread; the task ends with its reply.</summary>
    private Task<IPacket> AskDb(IPacket packet)
    {
        var reply = new TaskCompletionSource<IPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Enqueue(() => Request(packet, r => reply.TrySetResult(r)));
        return reply.Task;
    }

    private static TestMetaUpdate MetaOf(PlannedTest t) => new()
    {
        TestName = t.Name,
        Author = t.Config.Get("test_meta", "author"),
        Owner = t.Config.Get("test_meta", "owner"),
        Description = t.Config.Get("test_meta", "description"),
        Reviewed = t.Config.Get("test_meta", "reviewed"),
        Tags = t.Config.Get("test_meta", "tags"),
        JobGroup = t.JobGroup,
    };

    /// <summary>Cancelled when a <see cref="StopRequest"/> was accepted: the host ends the process (the home host moves).</summary>
    public CancellationToken StopRequested => _stopRequested.Token;

    private void OnStop(ReceivedPacket p, StopRequest stop)
    {
        if (_plans.Values.FirstOrDefault(x => !x.Ended) is { } active)
        {
            Reply(p, new ControlAck { Accepted = false, Reason = $"run {active.Request.Target}/{active.Request.RunName} is in progress; stop refused" });
            return;
        }

        _logger.LogInformation("stop requested by {Sender}: {Reason}", p.Header.SenderId, stop.Reason);
        Reply(p, new ControlAck { Accepted = true, Reason = "coordinator stopping" });
        _stopRequested.Cancel();
    }

    private void OnKill(ReceivedPacket p, KillRequest kill)
    {
        var pattern = TestPattern.Parse(string.IsNullOrEmpty(kill.TestPatt) ? "%" : kill.TestPatt);
        var count = 0;
        foreach (var plan in _plans.Values.Where(x => !x.Ended && Matches(kill.Target, x.Request.Target) && Matches(kill.RunName, x.Request.RunName)))
        {
            var byAgent = new Dictionary<AgentInfo, List<long>>();
            foreach (var id in plan.InFlight)
            {
                var row = plan.RowById(id);
                if (row is null || !pattern.Matches(row.TestName, row.ItemPath) || !_placement.TryGetValue(id, out var agent))
                {
                    continue;
                }

                if (!byAgent.TryGetValue(agent, out var list))
                {
                    byAgent[agent] = list = [];
                }

                list.Add(id);
                count++;
            }

            foreach (var (agent, ids) in byAgent)
            {
                _router!.SendPacket(_stamp, new KillTests { TestIds = [.. ids], Reason = "kill requested by " + p.Header.SenderId }, routing: agent.Identity);
            }

            // Tests not launched yet will not be: settle them as they are.
            foreach (var row in Scheduler.Waiting(plan).Where(r => pattern.Matches(r.TestName, r.ItemPath)).ToList())
            {
                row.Settled = true;
            }
        }

        Reply(p, new ControlAck { Accepted = true, Reason = $"kill sent for {count} running tests" });
    }

    private static bool Matches(string pattern, string value)
    {
        if (string.IsNullOrEmpty(pattern) || pattern == "%")
        {
            return true;
        }

        return NamePattern.Parse(pattern).IsMatch(value);
    }

    private void OnTestEnded(TestEnded ended)
    {
        if (ended.Finishing)
        {
            // Its processes have ended: the slot (and its job group's share) takes the next test now. The row stays in
            // flight, and its waiters wait for its committed state, until the final TestEnded.
            if (_placement.Remove(ended.TestId, out var placed))
            {
                placed.Running.Remove(ended.TestId);
                _groupOf.Remove(ended.TestId);
                _finishing[ended.TestId] = placed;
            }

            return;
        }

        if (_placement.Remove(ended.TestId, out var agent))
        {
            agent.Running.Remove(ended.TestId);
        }

        _finishing.Remove(ended.TestId);
        _groupOf.Remove(ended.TestId);
        if (_plans.TryGetValue(ended.RunId, out var plan))
        {
            plan.InFlight.Remove(ended.TestId);
            if (plan.RowById(ended.TestId) is { } row)
            {
                plan.Wake(row);
                AfterChange(plan, row);
            }
        }
    }

    private void DrainDb()
    {
        while (_db!.TryReceivePacket(false, TimeSpan.Zero, out var received, out var error) || error is not null)
        {
            if (received is null)
            {
                _logger.LogWarning("bad packet from the db writer: {Error}", error);
                continue;
            }

            if (received.Header.CorrelationId is { } corr && _callbacks.Remove(corr, out var callback))
            {
                _unanswered.Remove(corr);
                callback(received.Packet);
            }
        }

        RequestSchedule();
    }

    private void DrainStream()
    {
        while (_sub!.TryReceivePacket(true, TimeSpan.Zero, out var received, out var error) || error is not null)
        {
            if (received is null)
            {
                _logger.LogWarning("bad packet on the change stream: {Error}", error);
                continue;
            }

            switch (received.Packet)
            {
                case ProbeEcho echo when echo.Token == _probeToken && !_subscribed:
                    _subscribed = true;
                    _probeTimer!.Enable = false;
                    ResumeRuns(); // before any control packet: a repeated RunRequest finds its resumed run
                    foreach (var waiting in _waitingForSubscription)
                    {
                        OnRouterPacket(waiting);
                    }

                    _waitingForSubscription.Clear();
                    break;
                case TestChanged changed when _plans.TryGetValue(changed.Row.RunId, out var plan):
                    if (InSequence(plan, received.Header.Sequence))
                    {
                        var row = plan.Apply(changed.Row);
                        AfterChange(plan, row);
                    }

                    break;
                case RunChanged run when _plans.TryGetValue(run.RunId, out var plan):
                    InSequence(plan, received.Header.Sequence);
                    break;
            }
        }

        RequestSchedule();
    }

    private void AfterChange(RunPlan plan, RowState row)
    {
        ReleaseIfEnded(plan, row);
        if (!plan.Tests.TryGetValue(row.TestName, out var test))
        {
            return;
        }

        // [setup] reruns N: a test the system failed (INCOMPLETE, STUCK, DEAD) runs again, up to N more times.
        if (row.IsSystemFailure && row.Settled && !plan.InFlight.Contains(row.Id) && plan.Attempts.GetValueOrDefault(row.Id) > 0
            && plan.Attempts[row.Id] <= MaxReruns(plan))
        {
            _logger.LogInformation("{Test}/{Item} ended {State}/{Status}: attempt {Attempt} follows", row.TestName, row.ItemPath, row.State, row.Status, plan.Attempts[row.Id] + 1);
            row.Settled = false;
            test.Finished = false;
        }

        if (row.ItemPath.Length > 0 && (States.IsEnded(row.State) || row.Status != Statuses.NA) && !States.IsRunning(row.State))
        {
            _rollups.Changed(plan, row.TestName);
        }
    }

    private static int MaxReruns(RunPlan plan) => RunPlanner.Reruns(plan.Area);

    private bool InSequence(RunPlan plan, long sequence)
    {
        if (sequence <= plan.Sequence)
        {
            return false; // already covered by a snapshot
        }

        if (sequence != plan.Sequence + 1)
        {
            _logger.LogDebug("run {RunId}: change stream gap ({Have} then {Got}); asking for a snapshot", plan.RunId, plan.Sequence, sequence);
            RequestSnapshot(plan);
        }

        plan.Sequence = sequence;
        return true;
    }

    private void RequestSnapshot(RunPlan plan, Action? then = null)
    {
        Request(new SnapshotRequest { RunId = plan.RunId }, reply =>
        {
            var snap = (Snapshot)reply;
            foreach (var row in snap.Rows)
            {
                // As for a change on the stream: a row the system failed must be seen for [setup] reruns before its
                // waiters take it as failed (a gap in the stream brings such rows here instead).
                AfterChange(plan, plan.Apply(row));
            }

            plan.Sequence = Math.Max(plan.Sequence, snap.Sequence);
            then?.Invoke();
        }, plan);
    }

    /// <summary>
    /// Brings the plan's rows up to date once the run has nothing left in flight, then <paramref name="then"/>. Every
    /// status is committed by then (agents end a test only after its acks), so a run too large for one Snapshot
    /// packet is read straight from the database instead.
    /// </summary>
    private void FinalView(RunPlan plan, Action then)
    {
        if (plan.RowCount <= RowsPerPacket)
        {
            RequestSnapshot(plan, then);
            return;
        }

        foreach (var row in plan.History.Rows(plan.RunId))
        {
            plan.Apply(row);
        }

        then();
    }

    private void OnTimer()
    {
        foreach (var plan in _plans.Values.Where(p => p.Ready && !p.Ended).ToList())
        {
            // Tests of other runs in flight can free what this run waits for (slots, job groups, exclusive).
            if (plan.InFlight.Count > 0 || _placement.Count > 0 || plan.OutstandingRequests > 0 || Scheduler.IsComplete(plan))
            {
                _logger.LogDebug("run {RunId}: {InFlight} in flight, {Outstanding} requests outstanding", plan.RunId, plan.InFlight.Count, plan.OutstandingRequests);
                plan.StallTicks = 0;
                continue;
            }

            // Nothing running and nothing on its way, yet rows wait: first make sure our view is current,
            // then give up on rows whose prerequisites can never be met.
            plan.StallTicks++;
            plan.WakeAll(); // passes look only at what changed: an idle run is looked at whole, so nothing can be missed
            _logger.LogDebug("run {RunId} idle: unfinished {Tests}, waiting rows {Rows}", plan.RunId,
                string.Join(",", plan.Order.Where(t => !t.Finished).Select(t => t.Name)),
                string.Join(",", Scheduler.Waiting(plan).Select(r => r.TestName + "/" + r.ItemPath + "=" + r.State + "/" + r.Status)));
            if (plan.StallTicks == 2)
            {
                RequestSnapshot(plan);
            }
            else if (plan.StallTicks >= 6 && _agents.Count > 0)
            {
                foreach (var row in Scheduler.Waiting(plan).ToList())
                {
                    row.Settled = true;
                    Request(new StatusChange { TestId = row.Id, State = States.NotStarted, Status = Statuses.PreqDiscarded, Comment = "prerequisites can never be met in this run" }, _ => { }, plan);
                }

                foreach (var t in plan.Order)
                {
                    t.Finished = true;
                }
            }
        }

        _rollups.Flush();
        _slurm.Tick(Endpoint, _plans.Values, _agents.Values); // [jobtools] launcher slurm: keeps agent jobs submitted
        ResendUnanswered();
        RequestSchedule();
    }

    /// <summary>
    /// Asks for one scheduling pass after the events at hand are handled: bursts on several sockets in the same
    /// poller turn share one pass instead of deciding the whole run after each.
    /// </summary>
    private void RequestSchedule()
    {
        if (_schedulePending)
        {
            return;
        }

        _schedulePending = true;
        _work.Enqueue(() =>
        {
            _schedulePending = false;
            ScheduleAll();
        });
    }

    private void ScheduleAll()
    {
        foreach (var plan in _plans.Values.Where(p => p.Ready && !p.Ended).ToList())
        {
            var decisions = Scheduler.Decide(
                plan,
                t => Reserve(plan, t),
                (t, row) => plan.History.SkipReason(plan, t, row, RunningHere),
                (t, row) => _gate.MustWait(plan, t, row, LowestLoad, RunningHere),
                () => HasCapacity(plan));
            foreach (var decision in decisions)
            {
                Carry(plan, decision);
            }

            if (Scheduler.IsComplete(plan))
            {
                plan.Ended = true;
                FinalView(plan, () => EndRun(plan));
            }
        }
    }

    /// <summary>False when no launch can be reserved at all (every slot or max_concurrent_jobs taken).</summary>
    private bool HasCapacity(RunPlan plan) =>
        _placement.Count + _reservations.Count < MaxJobs(plan) && _agents.Values.Any(a => a.Available > 0);

    private bool Reserve(RunPlan plan, PlannedTest test)
    {
        // Decide asks for every launch before any is carried out: count what it reserved so far too.
        if (_placement.Count + _reservations.Count >= MaxJobs(plan))
        {
            return false;
        }

        if (test.JobGroup is { } group && int.TryParse(plan.Area.Megatest.Get("jobgroups", group)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit)
            && _groupOf.Values.Count(g => g == group) + _reservations.Count(r => r.Group == group) >= limit)
        {
            return false;
        }

        // Item patterns of [launchers] are applied again at launch, when the item is known.
        var rules = Launchers(plan);
        var agent = PickAgent(rules.HostTypeFor(test.Name, "")) ?? (rules.DependsOnItem(test.Name) ? PickAgent(null, anyLabel: true) : null);
        if (agent is null)
        {
            return false;
        }

        agent.Reserved++;
        _reservations.Enqueue((agent, test.JobGroup));
        return true;
    }

    private LauncherRules Launchers(RunPlan plan) => _launchers.GetValue(plan, p => new LauncherRules(p.Area.Megatest));

    private AgentInfo? PickAgent(string? hostType, bool anyLabel = false) =>
        _agents.Values.Where(a => a.Available > 0 && (anyLabel || LauncherRules.Serves(a.Labels, hostType)))
            .OrderByDescending(a => a.Available).ThenBy(a => a.Running.Count).ThenBy(a => a.AgentId, StringComparer.Ordinal).FirstOrDefault();

    private void Place(RunPlan plan, LaunchDecision launch)
    {
        AgentInfo? reserved = null;
        if (_reservations.TryDequeue(out var reservation))
        {
            reserved = reservation.Agent;
            reserved.Reserved--;
        }

        var hostType = Launchers(plan).HostTypeFor(launch.Test.Name, launch.Row.ItemPath);
        var agent = reserved is not null && _agents.ContainsValue(reserved) && reserved.Available > 0 && LauncherRules.Serves(reserved.Labels, hostType)
            ? reserved
            : PickAgent(hostType);
        if (agent is null)
        {
            // No agent of its host type is free now: it waits for the next round.
            launch.Row.Settled = false;
            launch.Test.Finished = false;
            return;
        }

        Launch(plan, launch, agent);
    }

    private void CheckAgents()
    {
        // Read what agents sent first: after a long burst of other work (a run's 100,000 registered rows on the
        // change stream) their heartbeats wait unread, and a busy coordinator must not take them for silence.
        DrainRouter();
        var now = Environment.TickCount64;
        foreach (var (key, agent) in _agents.ToList())
        {
            if (now - agent.LastSeen > _options.AgentTimeout.TotalMilliseconds)
            {
                DropAgent(key, agent, $"silent for more than {_options.AgentTimeout.TotalSeconds:0.#} s");
                continue;
            }

            _router!.SendPacket(_stamp, new Heartbeat(), routing: agent.Identity);
        }

        EndUnclaimed();

        RequestSchedule();
    }

    private void DropAgent(string key, AgentInfo agent, string reason)
    {
        _agents.Remove(key);
        // A clean goodbye with nothing running is routine; anything else is worth a warning.
        var level = agent.Running.Count == 0 && reason.StartsWith("left", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning;
        _logger.Log(level, "agent {Agent} on {Host} dropped ({Reason}); {Count} tests in flight end INCOMPLETE", agent.AgentId, agent.Host, reason, agent.Running.Count);
        LoseTests(agent, reason);
    }

    /// <summary>The tests in flight on <paramref name="agent"/> will never report: they end INCOMPLETE/DEAD (then [setup] reruns applies).</summary>
    private void LoseTests(AgentInfo agent, string reason)
    {
        // Finishing tests too: their last statuses may never have reached the database.
        var finishing = _finishing.Where(kv => kv.Value == agent).Select(kv => kv.Key).ToList();
        foreach (var id in agent.Running.Concat(finishing).ToList())
        {
            agent.Running.Remove(id);
            _finishing.Remove(id);
            _placement.Remove(id);
            _groupOf.Remove(id);
            var plan = _plans.Values.FirstOrDefault(x => x.InFlight.Remove(id));
            if (plan?.RowById(id) is { } row)
            {
                plan.Wake(row);
            }

            Request(new StatusChange { TestId = id, State = States.Incomplete, Status = Statuses.Dead, Comment = $"agent {agent.AgentId} on {agent.Host} lost: {reason}" }, _ => { }, plan);
        }
    }

    private int MaxJobs(RunPlan plan)
    {
        // Deliberate fix: without max_concurrent_jobs the limit is the agents' slots, not 1.
        return RunPlanner.MaxConcurrentJobs(plan.Area) ?? Math.Max(1, _agents.Values.Sum(a => a.Slots));
    }

    private void Carry(RunPlan plan, Decision decision)
    {
        switch (decision)
        {
            case SetRowDecision set:
                Request(new StatusChange { TestId = set.Row.Id, State = set.State, Status = set.Status, Comment = set.Comment }, _ => { }, plan);
                break;
            case ExpandDecision expand:
                // In chunks: the reply carries every registered row, and a packet holds at most 4 MiB.
                foreach (var chunk in expand.Items.Chunk(RowsPerPacket))
                {
                    var keys = chunk.Select(i => new TestKey { TestName = expand.Test.Name, ItemPath = i.Path }).ToArray();
                    Request(new RegisterTests { RunId = plan.RunId, Tests = keys }, reply =>
                    {
                        foreach (var row in ((TestsRegistered)reply).Rows)
                        {
                            plan.Apply(row);
                        }
                    }, plan);
                }

                // The toplevel is never launched: it lives in the link tree and its log is the rollup page.
                if (plan.Row(expand.Test.Name, "") is { } top)
                {
                    var link = Path.Combine(plan.Area.RunPath(plan.Request.Target, plan.Request.RunName), expand.Test.Name);
                    Request(new StatusChange { TestId = top.Id, RunDir = link, ShortDir = link, FinalLogf = RollupPage.FileName(expand.Test.Name) }, _ => { }, plan);
                }

                break;
            case LaunchDecision launch:
                Place(plan, launch);
                break;
        }
    }

    private void Launch(RunPlan plan, LaunchDecision launch, AgentInfo agent)
    {
        var id = launch.Row.Id;
        _gate.Launched();
        plan.InFlight.Add(id);
        agent.Running.Add(id);
        agent.Taken++;
        _placement[id] = agent;
        _groupOf[id] = launch.Test.JobGroup;
        var packet = new LaunchTest
        {
            RunId = plan.RunId,
            TestId = id,
            Target = plan.Request.Target,
            RunName = plan.Request.RunName,
            TestName = launch.Test.Name,
            ItemPath = launch.Row.ItemPath,
            ItemVars = launch.Item?.Vars.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal),
            AreaPath = plan.Area.TopPath,
            SetVars = plan.Request.SetVars,
            RunTimeLimitSeconds = launch.Test.RunTimeLimit,
            Preclean = plan.Request.Preclean,
            Attempt = plan.Attempts[id] = plan.Attempts.GetValueOrDefault(id) + 1,
            FinishingEnds = true,
            ToplevelTestId = launch.Row.ItemPath.Length > 0 && plan.Row(launch.Test.Name, "") is { } top ? top.Id : 0,
        };
        if (plan.History.PreviousWaiver(plan, launch.Test.Name, launch.Row.ItemPath) is { } waiver)
        {
            packet.WaiverRunDir = waiver.RunDir;
            packet.WaiverComment = waiver.Comment;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // The agent is told only after LAUNCHED is committed, so LAUNCHED can never overwrite what the agent reports.
        Request(new StatusChange { TestId = id, State = States.Launched, Status = Statuses.NA, EventTime = now, Comment = "" }, _ =>
            _router!.SendPacket(_stamp, packet, routing: agent.Identity), plan);
    }

    private void EndRun(RunPlan plan)
    {
        _rollups.Flush(plan);
        var counts = plan.Counts();
        var summary = new RunSummary { RunId = plan.RunId, Target = plan.Request.Target, RunName = plan.Request.RunName, State = "", Status = "", Counts = counts };
        var message = $"run {plan.Request.Target}/{plan.Request.RunName} ended: " + string.Join(", ", counts.Select(kv => $"{kv.Value} {kv.Key}"));
        _logger.LogInformation("{Message}", message);
        var ended = new RunEnded { RunId = plan.RunId, Summary = summary, Message = message };
        if (plan.Requester is not null)
        {
            _router!.SendPacket(_stamp, ended, plan.RequestId, plan.Requester);
        }

        RunFinished(plan, ended);

        _plans.Remove(plan.RunId);
        plan.History.Dispose();
    }

    private (double Load, bool Idle)? LowestLoad() =>
        _agents.Values.Where(a => a.Available > 0).OrderBy(a => a.Load).Select(a => ((double Load, bool Idle)?)(a.Load, a.Running.Count == 0)).FirstOrDefault();

    private bool RunningHere(string testName, string itemPath) =>
        _plans.Values.Any(p => p.InFlight.Any(id => p.RowById(id) is { } r && r.TestName == testName && r.ItemPath == itemPath));

    private void Request(IPacket packet, Action<IPacket> onReply, RunPlan? plan = null)
    {
        if (plan is not null)
        {
            plan.OutstandingRequests++;
        }

        var header = _stamp.Next(packet.Code);
        _unanswered[header.MessageId] = new Unanswered(header, packet, Environment.TickCount64);
        _callbacks[header.MessageId] = reply =>
        {
            if (plan is not null)
            {
                plan.OutstandingRequests--;
            }

            if (reply is Ack { Ok: false } nack)
            {
                _logger.LogWarning("db writer refused {Code}: {Error}", packet.Code, nack.Error);
            }

            onReply(reply);
        };
        _db!.SendPacket(header, packet);
    }

    private void Reply(ReceivedPacket to, IPacket packet) =>
        _router!.SendPacket(_stamp, packet, to.Header.MessageId, to.Routing);
}
