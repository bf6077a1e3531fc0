using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Monitor.Tests;

/// <summary>
/// Plays the db writer's side of the stream on loopback: answers probes, run lists and snapshots (from
/// <see cref="SnapshotFor"/>), and publishes changes with chosen sequence numbers, gaps included.
/// </summary>
public sealed class FakeDbWriter : IDisposable
{
    private readonly RouterSocket _router = Endpoints.Configure(new RouterSocket());
    private readonly PublisherSocket _pub = Endpoints.Configure(new PublisherSocket());
    private readonly PacketStamp _stamp = new("fake-dbwriter");
    private readonly NetMQQueue<Action> _work = new();
    private readonly NetMQPoller _poller;
    private int _snapshots;
    private int _lists;

    public FakeDbWriter()
    {
        Endpoint = Endpoints.Bind(_router, "tcp://127.0.0.1:0");
        PublishEndpoint = Endpoints.Bind(_pub, "tcp://127.0.0.1:0");
        _router.ReceiveReady += (_, _) => Drain();
        _work.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var a, TimeSpan.Zero))
            {
                a();
            }
        };
        _poller = [_router, _work];
        _poller.RunAsync();
    }

    public string Endpoint { get; }

    public string PublishEndpoint { get; }

    public List<RunSummary> Runs { get; } = [];

    /// <summary>The snapshot to answer with, by how many snapshots were asked before.</summary>
    public Func<long, int, Snapshot> SnapshotFor { get; set; } = (run, _) => new Snapshot { RunId = run };

    public int SnapshotsAnswered => Volatile.Read(ref _snapshots);

    /// <summary>Run lists answered: the client asks only once its subscription is live.</summary>
    public int ListsAnswered => Volatile.Read(ref _lists);

    public void Publish(long sequence, IPacket packet, long runId) => _work.Enqueue(() =>
    {
        var header = new PacketHeader(ProtocolVersion.Current, packet.Code, Guid.NewGuid(), null, "fake-dbwriter", sequence, 0);
        _pub.SendPacket(header, packet, Topics.Bytes(Topics.Run(runId)));
    });

    public void Dispose()
    {
        _poller.Stop();
        _poller.Dispose();
        _router.Dispose();
        _pub.Dispose();
        _work.Dispose();
    }

    private void Drain()
    {
        while (_router.TryReceivePacket(true, TimeSpan.Zero, out var p, out _))
        {
            switch (p!.Packet)
            {
                case SubscribeProbe probe:
                    _pub.SendPacket(_stamp, new ProbeEcho { Token = probe.Token }, routing: Topics.Bytes(Topics.Probe(probe.Token)));
                    _router.SendPacket(_stamp, new Ack { Ok = true }, p.Header.MessageId, p.Routing);
                    break;
                case StatusQuery:
                    _router.SendPacket(_stamp, new StatusReply { Runs = [.. Runs] }, p.Header.MessageId, p.Routing);
                    Interlocked.Increment(ref _lists);
                    break;
                case SnapshotRequest s:
                    _router.SendPacket(_stamp, SnapshotFor(s.RunId, _snapshots), p.Header.MessageId, p.Routing);
                    Interlocked.Increment(ref _snapshots);
                    break;
            }
        }
    }
}
