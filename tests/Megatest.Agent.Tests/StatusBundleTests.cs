using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Agent.Tests;

/// <summary>
/// An agent sends the status packets it has queued at once as a bundle, to a db writer played by a ROUTER socket here,
/// and completes each packet with its own entry of the answer.
/// </summary>
public sealed class StatusBundleTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly RouterSocket _db = Endpoints.Configure(new RouterSocket());
    private readonly RouterSocket _coordinator = Endpoints.Configure(new RouterSocket());
    private readonly AgentService _agent;
    private readonly PacketStamp _stamp = new("db writer@test");

    public StatusBundleTests()
    {
        var db = Endpoints.Bind(_db, "tcp://127.0.0.1:0");
        var coordinator = Endpoints.Bind(_coordinator, "tcp://127.0.0.1:0");
        _agent = new AgentService(new AgentOptions { CoordinatorEndpoint = coordinator, DbWriterEndpoint = db, AgentId = "bundling-agent", ResendAfter = TimeSpan.FromSeconds(1) });
        _agent.Start();
    }

    public void Dispose()
    {
        _agent.Dispose();
        _db.Dispose();
        _coordinator.Dispose();
        NetMQConfig.Cleanup(block: false);
    }

    private static IReadOnlyList<IPacket> ThreeChanges() =>
        [.. Enumerable.Range(1, 3).Select(i => (IPacket)new StatusChange { TestId = i, State = "COMPLETED", Status = "PASS" })];

    private ReceivedPacket Receive()
    {
        Assert.True(_db.TryReceivePacket(true, s_timeout, out var received, out var error), "nothing reached the db writer: " + error);
        return received!;
    }

    [Fact]
    public async Task PacketsSentTogether_GoAsOneBundle_AndEachCompletesWithItsOwnEntryOfTheAnswer()
    {
        var sends = _agent.SendAllAsync(ThreeChanges());

        var envelope = Receive();
        var bundle = Assert.IsType<Bundle>(envelope.Packet);
        var entries = Bundles.Unpack(envelope, bundle, out var errors);
        Assert.All(errors, e => Assert.Equal("", e));
        Assert.Equal([1L, 2L, 3L], entries.Select(e => ((StatusChange)e!.Packet).TestId));
        Assert.Equal(3, entries.Select(e => e!.Header.MessageId).Distinct().Count());
        _db.SendPacket(_stamp, new BundleAck { Errors = ["", "test 2 does not exist", ""] }, envelope.Header.MessageId, envelope.Routing);

        var acks = await Task.WhenAll(sends).WaitAsync(s_timeout);
        Assert.Equal([true, false, true], acks.Select(a => a.Ok));
        Assert.Equal("test 2 does not exist", acks[1].Error);
    }

    [Fact]
    public async Task BundleAnsweredWithoutEntries_IsSentAgainPacketByPacket_WithTheSameMessageIds()
    {
        var sends = _agent.SendAllAsync(ThreeChanges());
        var envelope = Receive();
        var entries = Bundles.Unpack(envelope, (Bundle)envelope.Packet, out _);

        // What a db writer that does not take bundles would say, had it known whom to answer.
        _db.SendPacket(_stamp, new Ack { Ok = false, Error = "unknown packet code 205" }, envelope.Header.MessageId, envelope.Routing);

        var alone = new List<ReceivedPacket>();
        while (alone.Count < 3)
        {
            var received = Receive();
            Assert.IsType<StatusChange>(received.Packet);
            alone.Add(received);
            _db.SendPacket(_stamp, new Ack { Ok = true }, received.Header.MessageId, received.Routing);
        }

        Assert.Equal(entries.Select(e => e!.Header.MessageId), alone.Select(a => a.Header.MessageId));
        Assert.All(await Task.WhenAll(sends).WaitAsync(s_timeout), a => Assert.True(a.Ok));
    }

    [Fact]
    public async Task LostBundleAnswer_EntriesGoAgainAfterTheResendPeriod_AndTheirOwnAcksComplete()
    {
        var sends = _agent.SendAllAsync(ThreeChanges());
        var envelope = Receive();
        Assert.IsType<Bundle>(envelope.Packet);

        // No answer: after ResendAfter (1 s here) each entry comes again; acks to them complete the sends.
        var acked = new HashSet<Guid>();
        while (acked.Count < 3)
        {
            var received = Receive();
            Assert.IsType<StatusChange>(received.Packet);
            if (acked.Add(received.Header.MessageId))
            {
                _db.SendPacket(_stamp, new Ack { Ok = true }, received.Header.MessageId, received.Routing);
            }
        }

        Assert.All(await Task.WhenAll(sends).WaitAsync(s_timeout), a => Assert.True(a.Ok));
    }

    [Fact]
    public async Task ALonePacket_GoesAlone()
    {
        var send = _agent.SendAsync(new StatusChange { TestId = 9, State = "RUNNING" });

        var received = Receive();
        Assert.IsType<StatusChange>(received.Packet);
        _db.SendPacket(_stamp, new Ack { Ok = true }, received.Header.MessageId, received.Routing);
        Assert.True((await send.WaitAsync(s_timeout)).Ok);
    }
}
