using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Agent;

/// <summary>
/// Runs tests on one host. Registers with the coordinator, takes LaunchTest packets, runs each test on its
/// own thread and sends every status to the db writer, keeping each packet until the db writer has
/// acknowledged it. Test processes on the host talk to the agent (never to SQLite) through the in-test
/// endpoint. With security (<see cref="AgentOptions.Security"/>) that endpoint is a CURVE server with a key pair of
/// this start, and each test gets a key pair of its own: a connection is heard only after its AuthHello proves a
/// running test's key, and then only for that test's packets.
/// </summary>
public sealed class AgentService : IDisposable, IStatusSink
{
    private readonly AgentOptions _options;
    private readonly ILogger _logger;
    private readonly PacketStamp _stamp;
    private readonly NetMQQueue<Action> _work = new();
    private readonly Dictionary<Guid, Pending> _pending = [];

    // Status packets tracked by the work now being done, sent when it is done (SendTracked).
    private readonly List<(PacketHeader Header, IPacket Packet)> _outgoing = [];

    // Bundles sent and not yet answered: the message ids of their entries, and when they left.
    private readonly Dictionary<Guid, (Guid[] Entries, long SentAt)> _bundles = [];
    private readonly ConcurrentDictionary<long, TestExecution> _running = new();

    /// <summary>Tests whose processes have ended and whose last statuses wait for their acks: they hold no slot.</summary>
    private readonly ConcurrentDictionary<long, bool> _finishing = new();
    private readonly AreaCache _areas = new();
    private DealerSocket? _coordinator;
    private DealerSocket? _db;
    private RouterSocket? _inTest;

    /// <summary>The in-test endpoint's allowlist check; null on a plain agent (no crypto on that path).</summary>
    private PeerGate? _inTestGate;
    private string _inTestKey = "";

    /// <summary>Running tests by the public key of the key pair made for them (secured agents only).</summary>
    private readonly ConcurrentDictionary<string, TestExecution> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _endedKeys = new();
    private readonly LogLimiter _inTestRefusals = new(TimeSpan.FromSeconds(10), 5);
    private NetMQPoller? _poller;
    private StatusJournal? _journal;
    private NetMQTimer? _timer;
    private Thread? _thread;
    private long _lastHeard = Environment.TickCount64;
    private long _heartbeatMs = 1000;
    private long _lastDbAnswer = Environment.TickCount64;
    private long _lastBusy = Environment.TickCount64;
    private int _started;
    private readonly CancellationTokenSource _retired = new();
    private readonly ManualResetEventSlim _stopping = new();
    private const int LaunchIdsKept = 100_000;
    private readonly HashSet<Guid> _launchIds = [];
    private readonly Queue<Guid> _launchOrder = new();
    private readonly List<PosixSignalRegistration> _signals = [];

    /// <summary>Creates the agent; nothing connects until <see cref="Start"/>.</summary>
    public AgentService(AgentOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        // One sender id per process: the coordinator tells an agent that started again (its tests lost) from one that says hello again.
        _stamp = new PacketStamp($"agent@{options.AgentId}#{Guid.NewGuid().ToString("N")[..8]}");
    }

    /// <summary>The bound in-test endpoint (after Start).</summary>
    public string InTestEndpoint { get; private set; } = "";

    /// <summary>Tests running now.</summary>
    public int RunningCount => _running.Count;

    /// <summary>Cancelled when the agent has retired by itself (<see cref="AgentOptions.IdleExit"/>, <see cref="AgentOptions.MaxTests"/>): its host should stop.</summary>
    public CancellationToken Retired => _retired.Token;

    /// <summary>Connects, binds the in-test endpoint, registers and starts the poller thread.</summary>
    public void Start()
    {
        // A Slurm scancel or a terminal's Ctrl-C signals the agent and its tests together; a test step that dies of it
        // must not be taken for the test's result (see TestExecution.StoppedWithAgent).
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, _ => _stopping.Set()));
        }

        _coordinator = Endpoints.Configure(new DealerSocket());
        _coordinator.Options.Identity = System.Text.Encoding.UTF8.GetBytes("agent:" + _options.AgentId);
        Endpoints.Connect(_coordinator, _options.CoordinatorEndpoint, _options.Security);
        _db = ConnectDb();
        _inTest = Endpoints.Configure(new RouterSocket());
        TransportSecurity? inTestSecurity = null;
        if (_options.Security is not null)
        {
            // A key pair of this start alone; tests learn its public half with the endpoint (CmdInfo.AgentKey).
            var server = CurveKeyPair.Generate("in-test");
            inTestSecurity = new TransportSecurity(server, server, AllowList.Empty);
            _inTestKey = server.PublicKey;
            _inTestGate = new PeerGate(server, key => _byKey.TryGetValue(key, out var exec) ? "test " + exec.Describe() : null, "agent in-test", _logger) { AcceptedLevel = LogLevel.Debug };
        }

        InTestEndpoint = Endpoints.Bind(_inTest, _options.InTestEndpoint, inTestSecurity);
        if (_options.JournalDirectory is { } journalDirectory)
        {
            _work.Enqueue(() => ResendJournal(journalDirectory));
        }
        _coordinator.ReceiveReady += (_, _) => DrainCoordinator();
        _inTest.ReceiveReady += (_, _) => DrainInTest();
        _work.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var action, TimeSpan.Zero))
            {
                action();
            }

            SendTracked();
        };
        _timer = new NetMQTimer(TimeSpan.FromSeconds(1));
        _timer.Elapsed += (_, _) => OnTimer();
        _poller = [_coordinator, _db, _inTest, _work, _timer];
        _thread = new Thread(() => _poller.Run()) { IsBackground = true, Name = "agent " + _options.AgentId };
        _thread.Start();
        _work.Enqueue(SendHello);
        _logger.LogInformation("agent {Agent} with {Slots} slots, coordinator {Coordinator}, db writer {Db}, in-test {InTest}", _options.AgentId, _options.Slots, _options.CoordinatorEndpoint, _options.DbWriterEndpoint, InTestEndpoint);
    }

    /// <summary>Runs until cancelled.</summary>
    public Task RunAsync(CancellationToken token) => RoleRunner.RunUntilCancelledAsync(Start, Stop, token);

    /// <summary>Kills running tests, says goodbye and closes the sockets.</summary>
    public void Stop()
    {
        if (_poller is null)
        {
            return;
        }

        _stopping.Set();
        foreach (var exec in _running.Values)
        {
            exec.Kill(TestExecution.AgentStoppingReason);
        }

        if (_poller.IsRunning)
        {
            var said = new ManualResetEventSlim();
            _work.Enqueue(() =>
            {
                _coordinator!.SendPacket(_stamp, new AgentBye { Reason = "agent stopping" });
                said.Set();
            });
            said.Wait(TimeSpan.FromSeconds(2));
            _poller.Stop();
        }

        _thread?.Join(TimeSpan.FromSeconds(5));
        _poller.Dispose();
        _coordinator?.Dispose();
        _db?.Dispose();
        _inTest?.Dispose();
        _inTestGate?.Dispose();
        _work.Dispose();
        _journal?.Dispose();
        _retired.Dispose();
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }

        _signals.Clear();
        _poller = null;
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    /// <inheritdoc />
    public Task<Ack> SendAsync(IPacket packet)
    {
        // Continuations run on the poller thread: they only wake a test thread waiting for its acks (or queue a reply),
        // which is cheaper than a trip through the thread pool for every acknowledged packet.
        var tcs = new TaskCompletionSource<Ack>();
        _work.Enqueue(() =>
        {
            Track(_stamp.Next(packet.Code), packet, tcs);
        });
        return tcs.Task;
    }

    /// <inheritdoc />
    public IReadOnlyList<Task<Ack>> SendAllAsync(IReadOnlyList<IPacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        var sends = packets.Select(p => (Packet: p, Completion: new TaskCompletionSource<Ack>())).ToList();
        _work.Enqueue(() =>
        {
            foreach (var (packet, completion) in sends)
            {
                Track(_stamp.Next(packet.Code), packet, completion);
            }
        });
        return [.. sends.Select(s => s.Completion.Task)];
    }

    private void Track(PacketHeader header, IPacket packet, TaskCompletionSource<Ack> completion)
    {
        _journal?.Written(header, packet); // on disk before it leaves: an agent that dies sends it again when it restarts
        if (_pending.Count == 0)
        {
            _lastDbAnswer = Environment.TickCount64; // silence counts from the first packet waiting for an answer
        }

        _pending[header.MessageId] = new Pending(header, packet, completion, Environment.TickCount64);
        _outgoing.Add((header, packet));
    }

    // What was tracked since the last call leaves now: several status packets as bundles (one message and one answer
    // for the lot instead of one each), a lone one as it is.
    private void SendTracked()
    {
        if (_outgoing.Count == 0)
        {
            return;
        }

        foreach (var (bundle, entries) in Bundles.Pack(_outgoing))
        {
            if (bundle is null)
            {
                _db!.SendPacket(entries[0].Header, entries[0].Packet);
                continue;
            }

            var header = _db!.SendPacket(_stamp, bundle);
            _bundles[header.MessageId] = ([.. entries.Select(e => e.Header.MessageId)], Environment.TickCount64);
        }

        _outgoing.Clear();
    }

    private void ResendJournal(string directory)
    {
        var orphans = StatusJournal.TakeOrphans(directory);
        _journal = new StatusJournal(Path.Combine(directory, $"{_options.AgentId}-{Guid.NewGuid():N}.journal"));
        foreach (var (header, packet) in orphans)
        {
            Track(header, packet, new TaskCompletionSource<Ack>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        if (orphans.Count > 0)
        {
            _logger.LogInformation("agent {Agent} sends {Count} status packets again that an earlier run never saw acknowledged", _options.AgentId, orphans.Count);
        }
    }

    private void SendHello()
    {
        _coordinator!.SendPacket(_stamp, new AgentHello
        {
            AgentId = _options.AgentId,
            Host = _options.Host,
            Slots = _options.Slots,
            Labels = _options.MaxTests > 0 ? [.. _options.Labels, "max-tests:" + _options.MaxTests.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [.. _options.Labels],
            MinVersion = ProtocolVersion.MinSupported,
            MaxVersion = ProtocolVersion.Current,
            InTestEndpoint = InTestEndpoint,
        });
    }

    private void OnTimer()
    {
        var now = Environment.TickCount64;
        if (_pending.Count > 0 && now - _lastDbAnswer > 3 * _options.ResendAfter.TotalMilliseconds)
        {
            // Nothing answered for three resend periods: start over on a new connection (the lazy pirate's cure for a
            // connection that never recovered from a db writer killed mid-send); everything pending goes again on it.
            _logger.LogWarning("agent {Agent}: no answer from the db writer for {Seconds:0} s with {Count} status packets pending; reconnecting", _options.AgentId, (now - _lastDbAnswer) / 1000.0, _pending.Count);
            _poller!.Remove(_db!);
            _db!.Dispose();
            _db = ConnectDb();
            _poller.Add(_db);
            _lastDbAnswer = now;
            foreach (var p in _pending.Values.ToList())
            {
                _pending[p.Header.MessageId] = p with { SentAt = 0 };
            }
        }

        foreach (var p in _pending.Values.Where(p => now - p.SentAt > _options.ResendAfter.TotalMilliseconds).OrderBy(p => p.Header.Sequence).ToList())
        {
            // Same message id: the db writer treats a repeat as the same packet. In the order they were first sent, so the
            // db writer sees a test's lost packets in their order (it keeps a late status change from undoing a newer one).
            _pending[p.Header.MessageId] = p with { SentAt = now };
            _db!.SendPacket(p.Header, p.Packet);
        }

        foreach (var id in _bundles.Where(b => now - b.Value.SentAt > 3 * _options.ResendAfter.TotalMilliseconds).Select(b => b.Key).ToList())
        {
            _bundles.Remove(id); // its answer was lost; its entries went again one by one and are answered so
        }

        SendHeartbeat();
        while (_endedKeys.TryDequeue(out var ended))
        {
            _inTestGate?.Forget(ended);
        }

        if (now - Interlocked.Read(ref _lastHeard) > Math.Max(3 * _heartbeatMs, 2000))
        {
            // The coordinator sends a heartbeat every interval; three missed mean it may have restarted and does not
            // know us: introduce ourselves again (the heartbeat after the welcome tells it which tests we run).
            SendHello();
            Interlocked.Exchange(ref _lastHeard, now);
        }

        if (_options.IdleExit is { } idle && _running.IsEmpty && now - _lastBusy > idle.TotalMilliseconds)
        {
            Retire($"idle for {idle.TotalSeconds:0.#} s");
        }
    }

    private void SendHeartbeat() =>
        _coordinator!.SendPacket(_stamp, new Heartbeat { RunningTestIds = [.. _running.Keys], FreeSlots = Math.Max(0, _options.Slots - _running.Count + _finishing.Count), LoadPerCore = HostLoad.PerCore() });

    private void Retire(string reason)
    {
        // The goodbye goes before anything else so the coordinator places nothing more here.
        if (!_retired.IsCancellationRequested)
        {
            _logger.LogInformation("agent {Agent} retires: {Reason}", _options.AgentId, reason);
            _coordinator!.SendPacket(_stamp, new AgentBye { Reason = reason });
            _retired.Cancel();
        }
    }

    private void DrainCoordinator()
    {
        while (_coordinator!.TryReceivePacket(false, TimeSpan.Zero, out var received, out var error) || error is not null)
        {
            if (received is null)
            {
                _logger.LogWarning("bad packet from the coordinator: {Error}", error);
                continue;
            }

            Interlocked.Exchange(ref _lastHeard, Environment.TickCount64);
            switch (received.Packet)
            {
                case AgentWelcome w when !w.Accepted:
                    _logger.LogError("coordinator refused agent {Agent}: {Reason}", _options.AgentId, w.Reason);
                    break;
                case AgentWelcome w:
                    _heartbeatMs = Math.Max(100, w.HeartbeatIntervalMs);
                    SendHeartbeat(); // at once: a restarted coordinator learns which tests still run here
                    break;
                case LaunchTest launch when FirstLaunch(received.Header.MessageId):
                    StartTest(launch);
                    break;
                case LaunchTest launch:
                    _logger.LogInformation("LaunchTest for {Test}/{Item} seen before (same message id): not run again", launch.TestName, launch.ItemPath);
                    break;
                case KillTests kill:
                    foreach (var id in kill.TestIds)
                    {
                        if (_running.TryGetValue(id, out var exec))
                        {
                            exec.Kill(kill.Reason);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// True the first time a LaunchTest message id is seen. The network may deliver a packet twice; a copy that arrives
    /// after its test has finished must not run the test again. A deliberate relaunch (a rerun, a restarted
    /// coordinator) is a new packet with a new id.
    /// </summary>
    private bool FirstLaunch(Guid messageId)
    {
        if (!_launchIds.Add(messageId))
        {
            return false;
        }

        _launchOrder.Enqueue(messageId);
        if (_launchOrder.Count > LaunchIdsKept)
        {
            _launchIds.Remove(_launchOrder.Dequeue());
        }

        return true;
    }

    private void StartTest(LaunchTest launch)
    {
        if (_options.Areas.Count > 0 && !_options.Areas.Contains(Path.GetFullPath(launch.AreaPath)))
        {
            _logger.LogWarning("refused test {Test}: area {Area} is not served by this agent", launch.TestName, launch.AreaPath);
            _coordinator!.SendPacket(_stamp, new TestEnded { RunId = launch.RunId, TestId = launch.TestId, State = "NOT_STARTED", Status = "n/a", ExitCode = -2 });
            return;
        }

        if (_retired.IsCancellationRequested || (_options.MaxTests > 0 && _started >= _options.MaxTests && !_running.ContainsKey(launch.TestId)))
        {
            // Placed while the goodbye was on its way: the coordinator ends it INCOMPLETE and runs it again elsewhere.
            _logger.LogWarning("agent {Agent} is retiring: test {Test}/{Item} not started", _options.AgentId, launch.TestName, launch.ItemPath);
            return;
        }

        if ((Megatest.Core.PathSafety.TestNameProblem(launch.TestName) ?? Megatest.Core.PathSafety.ItemPathProblem(launch.ItemPath)) is { } unsafePath)
        {
            _logger.LogWarning("refused a launch: {Problem}", unsafePath);
            _coordinator!.SendPacket(_stamp, new TestEnded { RunId = launch.RunId, TestId = launch.TestId, State = "NOT_STARTED", Status = "n/a", ExitCode = -2 });
            return;
        }

        var exec = new TestExecution(launch, this, _areas, _options.MegatestExecutable, InTestEndpoint, _logger, _stopping)
        {
            Keys = _inTestGate is null ? null : new InTestKeys(_inTestKey, CurveKeyPair.Generate("test-" + launch.TestId.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        };
        if (!_running.TryAdd(launch.TestId, exec))
        {
            return; // already running here: a repeated launch
        }

        if (exec.Keys is { } keys)
        {
            _byKey[keys.PublicKey] = exec;
        }

        _started++;
        _lastBusy = Environment.TickCount64;
        if (_options.SlurmJobId is { } job)
        {
            _ = SendAsync(new TestData { TestId = launch.TestId, Rows = [new TestDataItem { Category = "slurm", Variable = "jobid", Value = job }] });
        }

        exec.OnFinishing(early =>
        {
            _finishing[launch.TestId] = true;
            _work.Enqueue(() => _coordinator!.SendPacket(_stamp, early));
        });
        var thread = new Thread(() =>
        {
            TestEnded ended;
            try
            {
                ended = exec.Run();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogError(ex, "test {Test}/{Item} failed to run", launch.TestName, launch.ItemPath);
                ended = exec.Abandon(ex.Message);
            }

            _running.TryRemove(launch.TestId, out _);
            _finishing.TryRemove(launch.TestId, out _);
            if (exec.Keys is { } endedKeys)
            {
                // The test's key dies with it: a hello with it is refused from now on; the poller forgets its connections.
                _byKey.TryRemove(endedKeys.PublicKey, out _);
                _endedKeys.Enqueue(endedKeys.PublicKey);
            }

            if (exec.StoppedWithAgent)
            {
                // Not the test's result: the coordinator sees this agent go (AgentBye, or its silence) and runs it again.
                return;
            }

            _work.Enqueue(() =>
            {
                _coordinator!.SendPacket(_stamp, ended);
                _lastBusy = Environment.TickCount64;
                if (_options.MaxTests > 0 && _started >= _options.MaxTests && _running.IsEmpty)
                {
                    Retire($"ran its {_options.MaxTests} tests");
                }
            });
        })
        { IsBackground = true, Name = $"test {launch.TestName}/{launch.ItemPath}" };
        thread.Start();
    }

    private DealerSocket ConnectDb()
    {
        var db = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(db, _options.DbWriterEndpoint, _options.Security);
        db.ReceiveReady += (_, _) => DrainDb();
        return db;
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

            _lastDbAnswer = Environment.TickCount64;
            if (received.Header.CorrelationId is not { } corr)
            {
                continue;
            }

            if (_bundles.Remove(corr, out var bundle))
            {
                if (received.Packet is BundleAck { Errors: { } errors } && errors.Length == bundle.Entries.Length)
                {
                    for (var i = 0; i < bundle.Entries.Length; i++)
                    {
                        Answered(bundle.Entries[i], string.IsNullOrEmpty(errors[i]) ? new Ack { Ok = true } : new Ack { Ok = false, Error = errors[i] });
                    }
                }
                else
                {
                    // Not an answer entry by entry (a db writer that does not take bundles): each entry goes again alone.
                    _logger.LogWarning("db writer answered a bundle of {Count} status packets with {Code}; sending them one by one", bundle.Entries.Length, received.Header.Code);
                    foreach (var id in bundle.Entries)
                    {
                        if (_pending.TryGetValue(id, out var p))
                        {
                            _db!.SendPacket(p.Header, p.Packet);
                        }
                    }
                }
            }
            else
            {
                Answered(corr, received.Packet as Ack ?? new Ack { Ok = true });
            }
        }
    }

    private void Answered(Guid messageId, Ack ack)
    {
        if (!_pending.Remove(messageId, out var pending))
        {
            return; // answered before (it was sent again)
        }

        _journal?.Acknowledged(messageId);
        if (!ack.Ok)
        {
            _logger.LogWarning("db writer refused {Code}: {Error}", pending.Packet.Code, ack.Error);
        }

        pending.Completion.TrySetResult(ack);
    }

    private void DrainInTest()
    {
        var inTest = _inTest!;
        NetMQMessage? msg = null;
        while (inTest.TryReceiveMultipartMessage(TimeSpan.Zero, ref msg))
        {
            var message = msg;
            msg = null;
            string? peerKey = null;
            if (_inTestGate is not null && !_inTestGate.Admit(inTest, message, out peerKey))
            {
                continue; // a hello (answered), or a packet from a connection that has not proved a test's key (dropped, logged)
            }

            if (!PacketSocketExtensions.TryDecode(message, hasRouting: true, out var received, out var error))
            {
                _logger.LogWarning("bad packet from a test process: {Error}", error);
                continue;
            }

            var routing = received!.Routing!;
            var corr = received.Header.MessageId;
            if (!InTestSender(received.Packet, peerKey, out var exec, out var refusal))
            {
                inTest.SendPacket(_stamp, new Ack { Ok = false, Error = refusal }, corr, routing);
                continue;
            }

            exec?.Observe(received.Packet);
            SendAsync(received.Packet).ContinueWith(t => _work.Enqueue(() => _inTest!.SendPacket(_stamp, t.Result, corr, routing)), TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Finds the running test a packet from a test process is about. On a plain agent that is the test whose id it names
    /// (a TestMetaUpdate needs none); on a secured one it is the test whose key the connection proved (<paramref name="peerKey"/>),
    /// and the packet must be about that test. False with the reason when the packet is refused.
    /// </summary>
    private bool InTestSender(IPacket packet, string? peerKey, out TestExecution? exec, out string refusal)
    {
        refusal = "";
        if (peerKey is null)
        {
            var testId = packet switch
            {
                Step s => s.TestId,
                StatusChange s => s.TestId,
                TestData d => d.TestId,
                _ => 0L,
            };
            exec = _running.Values.FirstOrDefault(e => e.Owns(testId));
            if (exec is null && packet is not TestMetaUpdate)
            {
                refusal = $"test {testId} is not running on this agent";
                return false;
            }

            return true;
        }

        if (!_byKey.TryGetValue(peerKey, out exec))
        {
            _inTestGate!.Forget(peerKey);
            refusal = "the key of this test is no longer valid: the test has ended";
        }
        else if (!exec.MayReport(packet))
        {
            refusal = $"the key of test {exec.Describe()} is good only for that test's own packets; {packet.Code} about another test refused";
        }
        else
        {
            return true;
        }

        _inTestRefusals.Log(_logger, LogLevel.Warning, "agent in-test refused a packet: " + refusal);
        return false;
    }

    private sealed record Pending(PacketHeader Header, IPacket Packet, TaskCompletionSource<Ack> Completion, long SentAt);
}
