using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Monitor;

/// <summary>
/// Follows the db writer's committed-change stream: subscribes, makes sure the subscription is live (probe),
/// lists the matching runs, takes a snapshot of each, then hands on every change in per-run sequence order.
/// A gap in a run's sequence (or a db writer restart) makes it take a fresh snapshot by itself.
/// </summary>
public sealed class StatusStreamClient : IDisposable
{
    private readonly MonitorOptions _options;
    private readonly IMonitorSink _sink;
    private readonly ILogger _logger;
    private readonly PacketStamp _stamp = new("monitor@" + Environment.MachineName + "-" + Environment.ProcessId);
    private readonly Dictionary<long, RunStream> _runs = [];
    private readonly HashSet<long> _ignored = [];
    private readonly string _token = Guid.NewGuid().ToString("N");
    private readonly SubscriberSocket _sub;
    private readonly DealerSocket _db;
    private Guid? _listRequest;
    private long _listAskedAt;
    private bool _listed;

    /// <summary>Connects both sockets; nothing is read until <see cref="Run"/>.</summary>
    public StatusStreamClient(MonitorOptions options, IMonitorSink sink, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        _options = options;
        _sink = sink;
        _logger = logger ?? NullLogger.Instance;
        _sub = Endpoints.Configure(new SubscriberSocket());
        _sub.Subscribe("run/");
        _sub.Subscribe(Topics.Probe(_token));
        Endpoints.Connect(_sub, options.PublishEndpoint, options.Security);
        _db = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(_db, options.DbWriterEndpoint, options.Security);
    }

    /// <summary>True once the subscription is live and the matching runs have been listed.</summary>
    public bool Started => _listed;

    /// <summary>Runs whose snapshot has been applied and which are in sequence now.</summary>
    public int SyncedRuns => _runs.Values.Count(r => r.Synced);

    /// <summary>Reads until <paramref name="token"/> is cancelled (or, with Once, until every listed run's snapshot is out).</summary>
    public void Run(CancellationToken token)
    {
        var live = false;
        var probeAt = 0L;
        while (!token.IsCancellationRequested)
        {
            var now = Environment.TickCount64;
            if (!live && now - probeAt > 200)
            {
                _db.SendPacket(_stamp, new SubscribeProbe { Token = _token });
                probeAt = now;
            }

            if (live && !_listed && (_listRequest is null || now - _listAskedAt > _options.RequestTimeout.TotalMilliseconds))
            {
                _listRequest = _db.SendPacket(_stamp, new StatusQuery { Target = _options.Filter.Target, RunName = _options.Filter.RunName }).MessageId;
                _listAskedAt = now;
            }

            foreach (var run in _runs.Values.Where(r => r.SnapshotRequest is not null && now - r.SnapshotAskedAt > _options.RequestTimeout.TotalMilliseconds))
            {
                AskSnapshot(run);
            }

            var wasLive = live;
            if (_sub.TryReceivePacket(true, TimeSpan.FromMilliseconds(20), out var published, out var error))
            {
                if (published!.Packet is ProbeEcho echo && echo.Token == _token)
                {
                    live = true;
                }
                else
                {
                    OnPublished(published);
                }

                while (_sub.TryReceivePacket(true, TimeSpan.Zero, out published, out _))
                {
                    if (published!.Packet is ProbeEcho e2 && e2.Token == _token)
                    {
                        live = true;
                    }
                    else
                    {
                        OnPublished(published);
                    }
                }

                if (live && !wasLive)
                {
                    _logger.LogDebug("change stream live");
                }
            }
            else if (error is not null && live)
            {
                _logger.LogWarning("bad packet on the change stream: {Error}", error);
            }
            else if (error is not null)
            {
                // Not live yet: what the stream carries now is covered by the snapshots taken once it is, and a sealed
                // change may come before the feed key does (the key comes with the first reply on the db writer link).
                _logger.LogDebug("change stream, before it is live: {Error}", error);
            }

            while (_db.TryReceivePacket(false, TimeSpan.Zero, out var reply, out var replyError) || replyError is not null)
            {
                if (reply is not null)
                {
                    OnReply(reply);
                }
            }

            if (_options.Once && _listed && _runs.Values.All(r => r.Synced))
            {
                return;
            }
        }
    }

    private void OnReply(ReceivedPacket reply)
    {
        var corr = reply.Header.CorrelationId;
        switch (reply.Packet)
        {
            case StatusReply list when corr == _listRequest:
                _logger.LogDebug("{Count} runs listed", list.Runs.Length);
                _listRequest = null;
                _listed = true;
                foreach (var run in list.Runs.Where(r => _options.Filter.MatchesRun(r.Target, r.RunName)))
                {
                    if (!_runs.ContainsKey(run.RunId))
                    {
                        var stream = new RunStream(run.RunId, run.Target, run.RunName);
                        _runs[run.RunId] = stream;
                        AskSnapshot(stream);
                    }
                }

                break;
            case Ack { Ok: false } nack when corr == _listRequest:
                _logger.LogError("the db writer cannot list runs: {Error}", nack.Error);
                _listRequest = null;
                _listed = true;
                break;
            case Snapshot snap when _runs.TryGetValue(snap.RunId, out var stream) && corr == stream.SnapshotRequest:
                ApplySnapshot(stream, snap);
                break;
        }
    }

    private void OnPublished(ReceivedPacket p)
    {
        var seq = p.Header.Sequence;
        var (runId, target, runName) = p.Packet switch
        {
            TestChanged t => (t.Row.RunId, t.Target, t.RunName),
            RunChanged r => (r.RunId, r.Target, r.RunName),
            _ => (0L, "", ""),
        };
        if (runId == 0 || _ignored.Contains(runId))
        {
            return;
        }

        if (!_runs.TryGetValue(runId, out var stream))
        {
            if (!_options.Filter.MatchesRun(target, runName))
            {
                _ignored.Add(runId);
                return;
            }

            stream = new RunStream(runId, target, runName);
            _runs[runId] = stream;
            stream.Buffer.Add((seq, p.Packet));
            AskSnapshot(stream);
            return;
        }

        if (!stream.Synced)
        {
            stream.Buffer.Add((seq, p.Packet));
            return;
        }

        if (seq == 1 && stream.Sequence > 1)
        {
            // The db writer restarted and counts from 1 again.
            Resync(stream, seq, p.Packet);
            return;
        }

        if (seq <= stream.Sequence)
        {
            return; // already in the snapshot
        }

        if (seq != stream.Sequence + 1)
        {
            Resync(stream, seq, p.Packet);
            return;
        }

        Deliver(stream, seq, p.Packet);
    }

    private void Resync(RunStream stream, long seq, IPacket packet)
    {
        _logger.LogInformation("run {RunId}: gap in the change stream ({Have} then {Got}); taking a new snapshot", stream.RunId, stream.Sequence, seq);
        _sink.Resync(stream.RunId, stream.Sequence, seq);
        stream.Synced = false;
        stream.Buffer.Clear();
        stream.Buffer.Add((seq, packet));
        AskSnapshot(stream);
    }

    private void AskSnapshot(RunStream stream)
    {
        _logger.LogDebug("run {RunId}: asking for a snapshot", stream.RunId);
        stream.SnapshotRequest = _db.SendPacket(_stamp, new SnapshotRequest { RunId = stream.RunId }).MessageId;
        stream.SnapshotAskedAt = Environment.TickCount64;
    }

    private void ApplySnapshot(RunStream stream, Snapshot snap)
    {
        _logger.LogDebug("run {RunId}: snapshot at {Sequence} with {Held} changes held", stream.RunId, snap.Sequence, stream.Buffer.Count);
        stream.SnapshotRequest = null;
        stream.Synced = true;
        stream.Sequence = snap.Sequence;
        _sink.Snapshot(stream.RunId, stream.Target, stream.RunName, snap.Sequence, [.. snap.Rows.Where(r => _options.Filter.MatchesTest(r.TestName, r.ItemPath))]);
        var held = stream.Buffer.OrderBy(b => b.Sequence).ToList();
        stream.Buffer.Clear();
        foreach (var (seq, packet) in held)
        {
            if (!stream.Synced)
            {
                stream.Buffer.Add((seq, packet));
            }
            else if (seq <= stream.Sequence)
            {
                continue;
            }
            else if (seq != stream.Sequence + 1)
            {
                Resync(stream, seq, packet);
            }
            else
            {
                Deliver(stream, seq, packet);
            }
        }
    }

    private void Deliver(RunStream stream, long seq, IPacket packet)
    {
        stream.Sequence = seq;
        switch (packet)
        {
            case TestChanged t when _options.Filter.MatchesTest(t.Row.TestName, t.Row.ItemPath):
                _sink.TestChanged(seq, t);
                break;
            case RunChanged r:
                stream.Target = r.Target;
                stream.RunName = r.RunName;
                _sink.RunChanged(seq, r);
                break;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sub.Dispose();
        _db.Dispose();
    }
}
