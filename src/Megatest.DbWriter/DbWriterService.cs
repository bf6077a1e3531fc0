using System.Diagnostics;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using Megatest.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.DbWriter;

/// <summary>
/// The only writer of megatest.db. Receives packets on a ROUTER socket, applies each burst in one
/// transaction, acknowledges after commit, then publishes every committed change on a PUB socket with a
/// per-run sequence number.
/// </summary>
public sealed class DbWriterService : IDisposable
{
    // Nearly every reply is this one: encode it once.
    private static readonly byte[] s_okBody = PacketCodec.EncodeBody(new Ack { Ok = true });

    private readonly DbWriterOptions _options;
    private readonly ILogger _logger;
    private readonly PacketStamp _stamp;

    // Message ids of published changes: derived from one random id like every stamp's (no random-number system call
    // per change); the header's sequence is the run's, not this stamp's.
    private readonly PacketStamp _published;
    private readonly Dictionary<long, long> _runSequence = [];
    private readonly Dictionary<long, (string Target, string RunName)> _runNames = [];
    private MegatestDatabase? _db;
    private RouterSocket? _router;
    private PublisherSocket? _pub;
    private FeedKey? _feed;
    private NetMQPoller? _poller;
    private Thread? _thread;
    private long _sequenceBase;
    private long _applied;
    private long _duplicates;
    private readonly HashSet<long> _statsDirty = [];
    private readonly StatusOrder _order = new();

    // Entries of bundles in the batch being applied (by reference: two entries may be equal records), to their bundle.
    private readonly Dictionary<ReceivedPacket, (OpenBundle Bundle, int Index)> _bundleEntries = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource _stopRequested = new();
    private NetMQTimer? _statsTimer;
    private PeerGate _gate = new(null, "db writer");

    /// <summary>Creates the service; nothing opens until <see cref="Start"/>.</summary>
    public DbWriterService(DbWriterOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _stamp = new PacketStamp(options.SenderId);
        _published = new PacketStamp(options.SenderId);
    }

    /// <summary>The bound ROUTER endpoint (after Start).</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The bound PUB endpoint (after Start).</summary>
    public string PublishEndpoint { get; private set; } = "";

    /// <summary>Cancelled when a <see cref="StopRequest"/> arrived: the host ends the process (the home host moves).</summary>
    public CancellationToken StopRequested => _stopRequested.Token;

    /// <summary>Packets applied so far.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Packets that arrived again after they had been applied (acknowledged, not applied twice).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>
    /// How often run_stats is brought up to date for the runs that changed. Recounting a run costs a scan of its
    /// rows, so it is done on this beat rather than after every batch (the tallies are for people, not for decisions);
    /// when a recount takes long (a run of 100,000 rows), the beat slows so recounts take at most a tenth of the
    /// writer's time, up to <see cref="MaxStatsInterval"/>.
    /// </summary>
    public static readonly TimeSpan StatsInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest spacing of run_stats refreshes, however long a recount takes.</summary>
    public static readonly TimeSpan MaxStatsInterval = TimeSpan.FromSeconds(10);

    private const int StatsDutyFactor = 10;

    /// <summary>Opens the database, binds the sockets and starts the poller thread.</summary>
    public void Start()
    {
        _db = MegatestDatabase.Open(_options.DatabasePath, _options.Keys, _options.Layout);
        using (var purge = _db.BeginBatch())
        {
            var now = Now();
            purge.PurgeApplied(now - 86_400);
            // The sender order an earlier db writer of this database applied: a status it applied a newer one of
            // arriving here again (its sender kept it unacknowledged) must not undo the newer state.
            _order.Restore(purge.AppliedOrders(now - (long)StatusOrder.Memory.TotalSeconds), now);
            // Sequences start above every number an earlier db writer of this database published: a subscriber
            // that stays connected across a restart sees a gap, never a repeat, and takes a new snapshot.
            _sequenceBase = purge.RaisePublishEpoch() << 32;
            purge.Commit();
        }

        _router = Endpoints.Configure(new RouterSocket());
        _pub = Endpoints.Configure(new PublisherSocket());
        Endpoint = Endpoints.Bind(_router, _options.Endpoint, _options.Security);
        PublishEndpoint = Endpoints.Bind(_pub, _options.PublishEndpoint, _options.Security);
        // A new feed key per start: subscribers of an earlier db writer fetch it again when its first body fails to open.
        _feed = _options.Security is null ? null : FeedKey.Generate();
        _gate = new PeerGate(_options.Security, "db writer", _logger) { Feed = _feed };
        _gate.Watch(_router);
        _router.ReceiveReady += (_, _) => OnReceiveReady();
        _statsTimer = new NetMQTimer(StatsInterval);
        _statsTimer.Elapsed += (_, _) => RefreshStats();
        _poller = [_router, _statsTimer];
        _thread = new Thread(() => _poller.Run()) { IsBackground = true, Name = "dbwriter" };
        _thread.Start();
        _logger.LogInformation("db writer on {Endpoint}, publishing on {Publish}, database {Path}", Endpoint, PublishEndpoint, _options.DatabasePath);
    }

    /// <summary>Runs until <paramref name="token"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken token) => RoleRunner.RunUntilCancelledAsync(Start, Stop, token);

    /// <summary>Stops the poller and closes sockets and database.</summary>
    public void Stop()
    {
        if (_poller is { IsRunning: true })
        {
            _poller.Stop();
        }

        _thread?.Join(TimeSpan.FromSeconds(5));
        if (_db is not null)
        {
            RefreshStats();
        }

        _poller?.Dispose();
        _gate.Dispose();
        _router?.Dispose();
        _pub?.Dispose();
        _db?.Dispose();
        _poller = null;
        _router = null;
        _pub = null;
        _db = null;
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    private void OnReceiveReady()
    {
        var batch = new List<ReceivedPacket>();
        NetMQMessage? msg = null;
        while (batch.Count < _options.MaxBatch && _router!.TryReceiveMultipartMessage(TimeSpan.Zero, ref msg))
        {
            if (!_gate.Admit(_router!, msg))
            {
                msg = null;
                continue;
            }

            if (PacketSocketExtensions.TryDecode(msg, hasRouting: true, out var received, out var error))
            {
                if (received!.Packet is Bundle bundle)
                {
                    Open(received, bundle, batch);
                }
                else
                {
                    batch.Add(received);
                }
            }
            else
            {
                _logger.LogWarning("db writer rejected a message of {Frames} frames: {Error}", msg.FrameCount, error);
                if (msg.FrameCount >= 1)
                {
                    // Tell the sender why, when we know who it is.
                    _router!.SendPacket(_stamp, new Ack { Ok = false, Error = error!.ToString() }, routing: msg[0].ToByteArray());
                }
            }

            msg = null;
        }

        if (batch.Count > 0)
        {
            ApplyBatch(batch);
        }
    }

    private void ApplyBatch(List<ReceivedPacket> batch)
    {
        var outcome = new BatchOutcome();
        try
        {
            using var tx = _db!.BeginBatch();
            // Runs of status changes (nearly all of a busy writer's packets) are applied a run at a time: one
            // statement marks them applied and one updates their tests; every other packet on its own, in order.
            var statuses = new List<ReceivedPacket>();
            foreach (var p in batch)
            {
                if (p.Packet is StatusChange)
                {
                    statuses.Add(p);
                    continue;
                }

                ApplyStatuses(tx, statuses, outcome);
                Apply(tx, p, outcome);
            }

            ApplyStatuses(tx, statuses, outcome);
            tx.Commit();
            _order.Committed();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && batch.Count > 1)
        {
            _order.RolledBack();
            // One packet spoiled the transaction: apply them one by one so only that one fails.
            _logger.LogWarning(ex, "batch of {Count} failed; applying one by one", batch.Count);
            outcome = new BatchOutcome();
            foreach (var p in batch)
            {
                ApplySingle(p, outcome);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _order.RolledBack();
            outcome = new BatchOutcome();
            outcome.Replies.Add((batch[0], ErrorReply(batch[0].Packet, ex.Message)));
        }

        Interlocked.Add(ref _applied, batch.Count);
        _statsDirty.UnionWith(outcome.TouchedRuns);
        Publish(outcome);
        foreach (var (to, reply) in outcome.Replies)
        {
            if (_bundleEntries.Remove(to, out var slot))
            {
                Answer(slot.Bundle, slot.Index, reply);
                continue;
            }

            var header = _stamp.Next(reply.Code, to.Header.MessageId);
            _router!.SendEncoded(header, reply is Ack { Ok: true, Error: "" } ? s_okBody : PacketCodec.EncodeBody(reply), to.Routing);
        }

        foreach (var (to, request) in outcome.Deferred)
        {
            AnswerAfterCommit(to, request);
        }
    }

    // A bundle's entries join the batch as lone packets would; their answers are gathered into one BundleAck.
    private void Open(ReceivedPacket envelope, Bundle bundle, List<ReceivedPacket> batch)
    {
        if (bundle.Headers?.Length > Bundles.MaxEntries)
        {
            // Too big to be from a sender that keeps the rules: refused whole; such a sender sends the entries alone.
            var error = $"bundle: {bundle.Headers.Length} entries, more than the {Bundles.MaxEntries} a bundle may carry";
            _logger.LogWarning("db writer refused a bundle from {Sender}: {Error}", envelope.Header.SenderId, error);
            _router!.SendPacket(_stamp, new Ack { Ok = false, Error = error }, envelope.Header.MessageId, envelope.Routing);
            return;
        }

        var entries = Bundles.Unpack(envelope, bundle, out var errors);
        var open = new OpenBundle(envelope, errors);
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i] is { } entry)
            {
                _bundleEntries.Add(entry, (open, i));
                open.Outstanding++;
                batch.Add(entry);
            }
        }

        if (open.Outstanding < entries.Length)
        {
            _logger.LogWarning("db writer refused {Count} of {Total} entries of a bundle from {Sender}, the first: {Error}", entries.Length - open.Outstanding, entries.Length, envelope.Header.SenderId, errors.First(e => e.Length > 0));
        }

        if (open.Outstanding == 0)
        {
            _router!.SendPacket(_stamp, new BundleAck { Errors = errors }, envelope.Header.MessageId, envelope.Routing);
        }
    }

    private void Answer(OpenBundle bundle, int index, IPacket reply)
    {
        bundle.Errors[index] = reply is Ack { Ok: true } ? "" : reply is Ack { Error: { Length: > 0 } error } ? error : "refused";
        if (--bundle.Outstanding == 0)
        {
            _router!.SendPacket(_stamp, new BundleAck { Errors = bundle.Errors }, bundle.Envelope.Header.MessageId, bundle.Envelope.Routing);
        }
    }

    private void ApplySingle(ReceivedPacket p, BatchOutcome outcome)
    {
        var single = new BatchOutcome();
        try
        {
            using var tx = _db!.BeginBatch();
            Apply(tx, p, single);
            tx.Commit();
            _order.Committed();
            outcome.Merge(single);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _order.RolledBack();
            _logger.LogWarning("packet {Code} from {Sender} rejected: {Error}", p.Header.Code, p.Header.SenderId, ex.Message);
            outcome.Replies.Add((p, ErrorReply(p.Packet, ex.Message)));
        }
    }

    private void RefreshStats()
    {
        if (_statsDirty.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var tx = _db!.BeginBatch();
            foreach (var runId in _statsDirty)
            {
                tx.RefreshRunStats(runId, Now());
            }

            tx.Commit();
            _statsDirty.Clear();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning("run_stats refresh failed (will retry): {Error}", ex.Message);
        }

        // Recounting a big run takes long: space refreshes so they take at most a tenth of the writer's time.
        if (_statsTimer is not null)
        {
            var spacing = Stopwatch.GetElapsedTime(started) * StatsDutyFactor;
            _statsTimer.Interval = (int)Math.Max(StatsInterval.TotalMilliseconds, Math.Min(spacing.TotalMilliseconds, MaxStatsInterval.TotalMilliseconds));
        }
    }

    private static IPacket ErrorReply(IPacket request, string error) => request switch
    {
        RegisterRun => new RunRegistered { Error = error },
        RegisterTests => new TestsRegistered { Error = error },
        _ => new Ack { Ok = false, Error = error },
    };

    private void Apply(WriteBatch tx, ReceivedPacket p, BatchOutcome outcome)
    {
        var now = Now();
        // Packets that change rows are applied once: a repeat (its ack was lost, or the network duplicated it)
        // is acknowledged again without touching anything, so an old status can never overwrite a newer one.
        // Registrations are idempotent by themselves and answer with the rows.
        if (p.Packet is StatusChange or Step or TestData or TestMetaUpdate or UpdateRun or DeleteTests or RecordArchive or ImportRuns or RecordRunRequest && !tx.MarkApplied(p.Header.MessageId, now, OrderOf(p)))
        {
            Interlocked.Increment(ref _duplicates);
            outcome.Replies.Add((p, new Ack { Ok = true }));
            return;
        }

        switch (p.Packet)
        {
            case RegisterRun r:
            {
                var id = tx.EnsureRun(r.KeyValues, r.RunName, r.Owner, now, out var created);
                var run = tx.Reader.GetRun(id)!;
                outcome.Runs.Add(run);
                outcome.Replies.Add((p, new RunRegistered { RunId = id, Created = created }));
                break;
            }

            case RegisterTests r:
            {
                var rows = new List<TestRowInfo>(r.Tests.Length);
                foreach (var t in r.Tests)
                {
                    var row = tx.RegisterTest(r.RunId, t.TestName, t.ItemPath, now);
                    rows.Add(ToInfo(row));
                    outcome.Tests.Add(row);
                }

                outcome.TouchedRuns.Add(r.RunId);
                outcome.Replies.Add((p, new TestsRegistered { Rows = [.. rows] }));
                break;
            }

            case StatusChange sent:
            {
                var s = _order.InOrder(p.Header, sent);
                AddChanged(outcome, tx.UpdateTest(s.TestId, ToUpdate(s), now));
                outcome.Replies.Add((p, new Ack { Ok = true }));
                break;
            }

            case Step s:
                tx.RecordStep(s.TestId, new StepRecord(s.StepName, s.State, s.Status, s.EventTime, s.Comment, s.LogFile));
                outcome.Replies.Add((p, new Ack { Ok = true }));
                break;

            case TestData d:
            {
                var rows = d.Rows.Select(r => new TestDataInput(r.Category, r.Variable, r.Value, r.Expected, r.Tol, r.Units, r.Comment, r.Status, r.Type)).ToList();
                AddChanged(outcome, tx.RecordTestData(d.TestId, rows, d.Rollup));
                outcome.Replies.Add((p, new Ack { Ok = true }));
                break;
            }

            case TestMetaUpdate m:
                tx.UpsertTestMeta(new TestMeta(m.TestName, m.Author, m.Owner, m.Description, m.Reviewed, m.Tags, m.JobGroup));
                outcome.Replies.Add((p, new Ack { Ok = true }));
                break;

            case UpdateRun u:
                outcome.Runs.Add(tx.UpdateRun(u.RunId, u.State, u.Status, u.Comment, now));
                outcome.Replies.Add((p, new Ack { Ok = true }));
                break;

            case DeleteTests d:
                foreach (var row in tx.DeleteTests(d.RunId, d.TestIds))
                {
                    outcome.Tests.Add(row with { State = "DELETED" });
                }

                outcome.TouchedRuns.Add(d.RunId);
                outcome.Replies.Add((p, new Ack { Ok = true }));
                break;

            case RecordArchive a:
                AddChanged(outcome, tx.RecordArchive(a.RunId, a.TestIds, (a.DiskName, a.DiskPath), a.BlockPath, a.ArchivePath, a.State, now));
                outcome.Replies.Add((p, new Ack { Ok = true }));
                break;

            case ImportRuns i:
                outcome.Runs.AddRange(tx.ImportRuns(i.Bundle, now));
                outcome.Replies.Add((p, new Ack { Ok = true }));
                break;

            case RecordRunRequest r:
                tx.RecordCoordinatorRun(new CoordinatorRun(r.RequestId, r.RunId, r.Target, r.RunName, r.TestPatt, r.Owner, r.Requester, r.Request, r.State, now), now);
                outcome.Replies.Add((p, new Ack { Ok = true }));
                break;

            case SnapshotRequest or SubscribeProbe or StatusQuery or MoveRecords or StopRequest:
                outcome.Deferred.Add((p, p.Packet));
                break;

            default:
                outcome.Replies.Add((p, new Ack { Ok = false, Error = $"the db writer does not take {p.Header.Code} packets" }));
                break;
        }
    }

    /// <summary>
    /// Applies <paramref name="statuses"/> (consecutive status changes of a burst) as <see cref="Apply"/> would one by
    /// one: a packet applied before is acknowledged again and skipped, the rest go through the sender order and update
    /// their tests in packet order. Empties the list.
    /// </summary>
    private void ApplyStatuses(WriteBatch tx, List<ReceivedPacket> statuses, BatchOutcome outcome)
    {
        if (statuses.Count == 0)
        {
            return;
        }

        var now = Now();
        var fresh = tx.MarkAppliedMany(statuses.Select(p => (p.Header.MessageId, OrderOf(p))).ToList(), now);
        var updates = new List<(long TestId, TestUpdate Update)>(statuses.Count);
        for (var i = 0; i < statuses.Count; i++)
        {
            if (fresh[i])
            {
                var s = _order.InOrder(statuses[i].Header, (StatusChange)statuses[i].Packet);
                updates.Add((s.TestId, ToUpdate(s)));
            }
        }

        var changed = tx.UpdateTests(updates, now);
        var next = 0;
        for (var i = 0; i < statuses.Count; i++)
        {
            if (fresh[i])
            {
                AddChanged(outcome, changed[next++]);
            }
            else
            {
                Interlocked.Increment(ref _duplicates);
            }

            outcome.Replies.Add((statuses[i], new Ack { Ok = true }));
        }

        statuses.Clear();
    }

    // A status change's place in its sender's order, recorded with it for the StatusOrder of a later db writer.
    private static SenderOrder? OrderOf(ReceivedPacket p) =>
        p.Packet is StatusChange s ? new SenderOrder(s.TestId, p.Header.Sequence) : null;

    private static TestUpdate ToUpdate(StatusChange s) => new()
    {
        State = s.State,
        Status = s.Status,
        Comment = s.Comment,
        Host = s.Host,
        Uname = s.Uname,
        RunDir = s.RunDir,
        ShortDir = s.ShortDir,
        EventTime = s.EventTime,
        RunDuration = s.RunDuration,
        FinalLogf = s.FinalLogf,
        AttemptNum = s.AttemptNum,
        CpuLoad = s.CpuLoad,
        DiskFree = s.DiskFree,
    };

    private static void AddChanged(BatchOutcome outcome, IReadOnlyList<TestRow> changed)
    {
        foreach (var row in changed)
        {
            outcome.Tests.Add(row);
            outcome.TouchedRuns.Add(row.RunId);
        }
    }

    private void AnswerAfterCommit(ReceivedPacket to, IPacket request)
    {
        switch (request)
        {
            case SnapshotRequest s:
            {
                using var tx = _db!.BeginBatch();
                var rows = tx.Reader.Tests(s.RunId).Select(ToInfo).ToArray();
                _router!.SendPacket(_stamp, new Snapshot { RunId = s.RunId, Rows = rows, Sequence = SequenceOf(s.RunId) }, to.Header.MessageId, to.Routing);
                break;
            }

            case StatusQuery query:
                _router!.SendPacket(_stamp, new StatusReply { Runs = [.. ListRuns(query)] }, to.Header.MessageId, to.Routing);
                break;

            case MoveRecords move:
                _router!.SendPacket(_stamp, MoveRuns(move), to.Header.MessageId, to.Routing);
                break;

            case SubscribeProbe probe:
                Publish(_stamp.Next(PacketCode.ProbeEcho), new ProbeEcho { Token = probe.Token }, Topics.Probe(probe.Token));
                _router!.SendPacket(_stamp, new Ack { Ok = true }, to.Header.MessageId, to.Routing);
                break;

            case StopRequest stop:
                // Everything before it in the burst is committed; the host ends the process.
                _logger.LogInformation("stop requested by {Sender}: {Reason}", to.Header.SenderId, stop.Reason);
                _router!.SendPacket(_stamp, new ControlAck { Accepted = true, Reason = "db writer stopping" }, to.Header.MessageId, to.Routing);
                _stopRequested.Cancel();
                break;
        }
    }

    /// <summary>
    /// -reduce-records / -restore-records: whole runs move between megatest.db and completed-runs.db between batches, on
    /// this thread, so nothing else writes either file meanwhile. The ack says which runs stayed and why.
    /// </summary>
    private Ack MoveRuns(MoveRecords move)
    {
        try
        {
            var stayed = _db!.MoveRuns(move.RunIds, move.ToCompleted);
            foreach (var runId in move.RunIds)
            {
                _runNames.Remove(runId);
            }

            return new Ack { Ok = true, Error = string.Join("; ", stayed) };
        }
        catch (Exception ex) when (ex is StorageException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
        {
            _logger.LogWarning("moving runs failed: {Error}", ex.Message);
            return new Ack { Ok = false, Error = ex.Message };
        }
    }

    /// <summary>Runs matching a status query, with their counts by "STATE/STATUS" (a monitor's first look, the CLI's status query).</summary>
    private IEnumerable<RunSummary> ListRuns(StatusQuery query)
    {
        using var tx = _db!.BeginBatch();
        foreach (var run in tx.Reader.Runs(query.Target, query.RunName))
        {
            var counts = tx.Reader.Tests(run.Id).GroupBy(t => t.State + "/" + t.Status, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
            yield return new RunSummary { RunId = run.Id, Target = run.Target, RunName = run.RunName, State = run.State, Status = run.Status, Counts = counts };
        }
    }

    private void Publish(BatchOutcome outcome)
    {
        foreach (var run in outcome.Runs)
        {
            _runNames[run.Id] = (run.Target, run.RunName);
            var header = NextPublished(PacketCode.RunChanged, run.Id);
            Publish(header, new RunChanged { RunId = run.Id, Target = run.Target, RunName = run.RunName, State = run.State, Status = run.Status }, Topics.Run(run.Id));
        }

        foreach (var row in outcome.Tests)
        {
            var (target, runName) = RunName(row.RunId);
            var header = NextPublished(PacketCode.TestChanged, row.RunId);
            Publish(header, new TestChanged { Row = ToInfo(row), Target = target, RunName = runName }, Topics.Test(row.RunId, row.TestName));
        }
    }

    // Secured, the body is sealed with the feed key that only authenticated clients get; plain, it goes as it is.
    private void Publish(PacketHeader header, IPacket packet, string topic)
    {
        var body = PacketCodec.EncodeBody(packet);
        _pub!.SendEncoded(header, _feed is null ? body : _feed.Seal(body), Topics.Bytes(topic));
    }

    private (string Target, string RunName) RunName(long runId)
    {
        if (!_runNames.TryGetValue(runId, out var names))
        {
            using var tx = _db!.BeginBatch();
            var run = tx.Reader.GetRun(runId);
            names = run is null ? ("", "") : (run.Target, run.RunName);
            _runNames[runId] = names;
        }

        return names;
    }

    private PacketHeader NextPublished(PacketCode code, long runId)
    {
        var seq = SequenceOf(runId) + 1;
        _runSequence[runId] = seq;
        return _published.Next(code) with { Sequence = seq };
    }

    private long SequenceOf(long runId) => _runSequence.TryGetValue(runId, out var seq) ? seq : _sequenceBase;

    /// <summary>The wire form of a committed test row.</summary>
    public static TestRowInfo ToInfo(TestRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new TestRowInfo
        {
            Id = row.Id,
            RunId = row.RunId,
            TestName = row.TestName,
            ItemPath = row.ItemPath,
            State = row.State,
            Status = row.Status,
            Comment = row.Comment,
            Host = row.Host,
            RunDir = row.RunDir,
            EventTime = row.EventTime,
            RunDuration = row.RunDuration,
            FinalLogf = row.FinalLogf,
        };
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    // A bundle whose entries are being applied: the errors so far and how many entries are still to be answered.
    private sealed class OpenBundle(ReceivedPacket envelope, string[] errors)
    {
        public ReceivedPacket Envelope { get; } = envelope;

        public string[] Errors { get; } = errors;

        public int Outstanding { get; set; }
    }

    private sealed class BatchOutcome
    {
        public List<(ReceivedPacket To, IPacket Reply)> Replies { get; } = [];

        public List<(ReceivedPacket To, IPacket Request)> Deferred { get; } = [];

        public List<TestRow> Tests { get; } = [];

        public List<RunRow> Runs { get; } = [];

        public HashSet<long> TouchedRuns { get; } = [];

        public void Merge(BatchOutcome other)
        {
            Replies.AddRange(other.Replies);
            Deferred.AddRange(other.Deferred);
            Tests.AddRange(other.Tests);
            Runs.AddRange(other.Runs);
            TouchedRuns.UnionWith(other.TouchedRuns);
        }
    }
}
