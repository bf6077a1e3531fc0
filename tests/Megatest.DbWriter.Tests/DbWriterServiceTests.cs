using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Storage;
using Megatest.Testing;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.DbWriter.Tests;

/// <summary>The db writer over real loopback TCP and a real SQLite file: acks after commit, applies a repeated packet once.</summary>
public sealed class DbWriterServiceTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly TempDir _tmp = new("dbwriter");
    private readonly DbWriterService _service;
    private readonly DealerSocket _client;
    private readonly PacketStamp _stamp = new("test-client");

    public DbWriterServiceTests()
    {
        _service = new DbWriterService(new DbWriterOptions { DatabasePath = Path.Combine(_tmp.Path, "megatest.db"), Keys = ["X"] });
        _service.Start();
        _client = Endpoints.Configure(new DealerSocket());
        _client.Connect(_service.Endpoint);
    }

    public void Dispose()
    {
        _client.Dispose();
        _service.Dispose();
        NetMQConfig.Cleanup(block: false);
        _tmp.Dispose();
    }

    private IPacket Exchange(PacketHeader header, IPacket packet) => Exchange(_client, header, packet);

    private static IPacket Exchange(DealerSocket client, PacketHeader header, IPacket packet)
    {
        client.SendPacket(header, packet);
        while (true)
        {
            Assert.True(client.TryReceivePacket(false, s_timeout, out var received, out var error), "no reply within the time-out " + error);
            if (received!.Header.CorrelationId == header.MessageId)
            {
                return received.Packet;
            }
        }
    }

    private IPacket Exchange(IPacket packet) => Exchange(_stamp.Next(packet.Code), packet);

    private long RegisterOneTest()
    {
        var run = (RunRegistered)Exchange(new RegisterRun { KeyValues = ["v1"], RunName = "r1", Owner = "me" });
        var rows = (TestsRegistered)Exchange(new RegisterTests { RunId = run.RunId, Tests = [new TestKey { TestName = "a", ItemPath = "" }] });
        return Assert.Single(rows.Rows).Id;
    }

    [Fact]
    public void RepeatedStatusPacket_IsAcknowledgedButAppliedOnce()
    {
        var id = RegisterOneTest();
        var running = new StatusChange { TestId = id, State = "RUNNING", Status = "n/a" };
        var runningHeader = _stamp.Next(running.Code);
        Assert.True(((Ack)Exchange(runningHeader, running)).Ok);
        Assert.True(((Ack)Exchange(new StatusChange { TestId = id, State = "COMPLETED", Status = "PASS" })).Ok);

        // The first packet arrives again (its ack was lost and the agent sent it once more): nothing changes.
        Assert.True(((Ack)Exchange(runningHeader, running)).Ok);

        using var db = MegatestQueries.Open(Path.Combine(_tmp.Path, "megatest.db"));
        var row = db.GetTest(id)!;
        Assert.Equal(("COMPLETED", "PASS"), (row.State, row.Status));
        Assert.Equal(1, _service.Duplicates);
    }

    [Fact]
    public void StatusPacketFirstSeenAfterANewerOne_DoesNotUndoTheNewerStateButKeepsItsSetOnceFields()
    {
        var id = RegisterOneTest();
        // The step-end status was lost with a db writer that died; the test's end reached the next writer first.
        var lost = new StatusChange { TestId = id, State = "RUNNING", Status = "PASS", Host = "h1", RunDir = "/runs/a" };
        var lostHeader = _stamp.Next(lost.Code);
        Assert.True(((Ack)Exchange(new StatusChange { TestId = id, State = "COMPLETED", Status = "PASS", Comment = "done" })).Ok);

        // The agent sends the lost packet again (same message id, first time here): applied, but not its state.
        Assert.True(((Ack)Exchange(lostHeader, lost)).Ok);

        using var db = MegatestQueries.Open(Path.Combine(_tmp.Path, "megatest.db"));
        var row = db.GetTest(id)!;
        Assert.Equal(("COMPLETED", "PASS", "done"), (row.State, row.Status, row.Comment));
        Assert.Equal(("h1", "/runs/a"), (row.Host, row.RunDir));
        Assert.Equal(0, _service.Duplicates);

        // The same sender name started again counts from 1: its status (a restarted coordinator ending the test) applies.
        var restarted = new PacketStamp("test-client");
        var dead = new StatusChange { TestId = id, State = "INCOMPLETE", Status = "DEAD" };
        Assert.True(((Ack)Exchange(restarted.Next(dead.Code), dead)).Ok);
        Assert.Equal(("INCOMPLETE", "DEAD"), (db.GetTest(id)!.State, db.GetTest(id)!.Status));
    }

    [Fact]
    public void BurstOfStatusPackets_WithRepeatsInsideAndAcrossBursts_AppliesEachOnceInOrder()
    {
        var run = (RunRegistered)Exchange(new RegisterRun { KeyValues = ["v1"], RunName = "burst", Owner = "me" });
        var keys = Enumerable.Range(0, 40).Select(i => new TestKey { TestName = "t" + i, ItemPath = i % 10 == 9 ? "item" : "" }).ToArray();
        var ids = ((TestsRegistered)Exchange(new RegisterTests { RunId = run.RunId, Tests = keys })).Rows.Select(r => r.Id).ToArray();

        // Sent without waiting, so the db writer takes many in one transaction: every test RUNNING, then COMPLETED;
        // every fifth packet goes twice in a row, and a step of each tenth test sits between its two changes.
        var burst = new List<(PacketHeader Header, IPacket Packet)>();
        foreach (var (state, status) in new[] { ("RUNNING", "n/a"), ("COMPLETED", "PASS") })
        {
            for (var i = 0; i < ids.Length; i++)
            {
                IPacket change = new StatusChange { TestId = ids[i], State = state, Status = status, Comment = state + " " + i };
                var header = _stamp.Next(change.Code);
                burst.Add((header, change));
                if (i % 5 == 0)
                {
                    burst.Add((header, change));
                }

                if (i % 10 == 0 && state == "RUNNING")
                {
                    IPacket step = new Step { TestId = ids[i], StepName = "s", State = "end", Status = "0" };
                    burst.Add((_stamp.Next(step.Code), step));
                }
            }
        }

        Assert.All(SendAll(burst), ack => Assert.True(ack.Ok, ack.Error));
        Assert.Equal(16, _service.Duplicates);

        // The whole burst again (its acks were lost): all repeats, and the RUNNING packets do not undo COMPLETED.
        Assert.All(SendAll(burst), ack => Assert.True(ack.Ok, ack.Error));
        Assert.Equal(16 + burst.Count, _service.Duplicates);

        using var db = MegatestQueries.Open(Path.Combine(_tmp.Path, "megatest.db"));
        for (var i = 0; i < ids.Length; i++)
        {
            var row = db.GetTest(ids[i])!;
            Assert.Equal(("COMPLETED", "PASS", "COMPLETED " + i), (row.State, row.Status, row.Comment));
        }
    }

    [Fact]
    public void BundledStatusPackets_AreAppliedAsIfSentAlone_AndAnsweredEntryByEntryInOneBundleAck()
    {
        var run = (RunRegistered)Exchange(new RegisterRun { KeyValues = ["v1"], RunName = "bundle", Owner = "me" });
        var keys = Enumerable.Range(0, 30).Select(i => new TestKey { TestName = "t" + i, ItemPath = i % 10 == 9 ? "item" : "" }).ToArray();
        var ids = ((TestsRegistered)Exchange(new RegisterTests { RunId = run.RunId, Tests = keys })).Rows.Select(r => r.Id).ToArray();
        var running = ids.Select(id => Stamped(new StatusChange { TestId = id, State = "RUNNING", Status = "n/a" })).ToList();
        var completed = ids.Select((id, i) => Stamped(new StatusChange { TestId = id, State = "COMPLETED", Status = "PASS", Comment = "done " + i })).ToList();
        var step = Stamped(new Step { TestId = ids[0], StepName = "s", State = "end", Status = "0" });
        var unknown = Stamped(new StatusChange { TestId = 987_654, State = "RUNNING" });

        // The RUNNING packets are lost; the COMPLETED ones arrive first, bundled with a step, an unknown test and a repeat.
        var first = completed.Append(step).Append(unknown).Append(completed[3]).ToList();
        var errors = ExchangeBundle(first);

        Assert.Equal(first.Count, errors.Length);
        Assert.All(errors.Take(completed.Count + 1), e => Assert.Equal("", e));
        Assert.Contains("987654", errors[completed.Count + 1], StringComparison.Ordinal);
        Assert.Equal("", errors[^1]);
        Assert.Equal(1, _service.Duplicates);

        // The lost RUNNING packets come later, bundled, and the first bundle again (its answer was lost): nothing is undone.
        Assert.All(ExchangeBundle(running), e => Assert.Equal("", e));
        Assert.Equal(completed.Count + 2, ExchangeBundle(first).Count(e => e.Length == 0)); // all but the unknown test

        using var db = MegatestQueries.Open(Path.Combine(_tmp.Path, "megatest.db"));
        for (var i = 0; i < ids.Length; i++)
        {
            var row = db.GetTest(ids[i])!;
            Assert.Equal(("COMPLETED", "PASS", "done " + i), (row.State, row.Status, row.Comment));
        }

        Assert.Equal("end", Assert.Single(db.Steps(ids[0])).State);
    }

    [Fact]
    public void BundleEntryThatIsNotAStatusPacket_IsRefusedAndTheOthersApplied()
    {
        var id = RegisterOneTest();
        var change = Stamped(new StatusChange { TestId = id, State = "COMPLETED", Status = "PASS" });
        var run = Stamped(new UpdateRun { RunId = 1, State = "x" });
        var bundle = new Bundle
        {
            Headers = [PacketCodec.EncodeHeader(change.Header), PacketCodec.EncodeHeader(run.Header)],
            Bodies = [PacketCodec.EncodeBody(change.Packet), PacketCodec.EncodeBody(run.Packet)],
        };

        var answer = Assert.IsType<BundleAck>(Exchange(bundle));

        Assert.Equal("", answer.Errors[0]);
        Assert.Contains("not UpdateRun", answer.Errors[1], StringComparison.Ordinal);
        using var db = MegatestQueries.Open(Path.Combine(_tmp.Path, "megatest.db"));
        Assert.Equal("COMPLETED", db.GetTest(id)!.State);
        Assert.NotEqual("x", db.GetRun(1)!.State);
    }

    [Fact]
    public void BundleOfMoreEntriesThanABundleMayCarry_IsRefusedWhole_AndNothingOfItApplied()
    {
        var id = RegisterOneTest();
        var entries = Enumerable.Range(0, Bundles.MaxEntries + 1).Select(_ => Stamped(new StatusChange { TestId = id, State = "COMPLETED", Status = "FAIL" })).ToList();
        var bundle = new Bundle { Headers = [.. entries.Select(e => PacketCodec.EncodeHeader(e.Header))], Bodies = [.. entries.Select(e => PacketCodec.EncodeBody(e.Packet))] };

        var answer = Assert.IsType<Ack>(Exchange(bundle));

        Assert.False(answer.Ok);
        Assert.Contains($"{Bundles.MaxEntries + 1} entries", answer.Error, StringComparison.Ordinal);
        using var db = MegatestQueries.Open(Path.Combine(_tmp.Path, "megatest.db"));
        Assert.NotEqual("COMPLETED", db.GetTest(id)!.State);
    }

    private (PacketHeader Header, IPacket Packet) Stamped(IPacket packet) => (_stamp.Next(packet.Code), packet);

    // Sends the packets as one bundle and returns its answer's errors, entry by entry.
    private string[] ExchangeBundle(List<(PacketHeader Header, IPacket Packet)> packets)
    {
        var (bundle, entries) = Assert.Single(Bundles.Pack(packets));
        Assert.Equal(packets, entries);
        return Assert.IsType<BundleAck>(Exchange(bundle!)).Errors;
    }

    // Sends every packet before reading any reply; returns the ack of each (a packet sent twice gets two).
    private List<Ack> SendAll(List<(PacketHeader Header, IPacket Packet)> packets) => SendAll(_client, packets, () => { });

    // Sends every packet, then does beforeReplies (starts the db writer the packets wait for), then reads the acks.
    private static List<Ack> SendAll(DealerSocket client, List<(PacketHeader Header, IPacket Packet)> packets, Action beforeReplies)
    {
        foreach (var (header, packet) in packets)
        {
            client.SendPacket(header, packet);
        }

        beforeReplies();
        var acks = new List<Ack>();
        while (acks.Count < packets.Count)
        {
            Assert.True(client.TryReceivePacket(false, s_timeout, out var received, out var error), $"{acks.Count} of {packets.Count} replies within the time-out {error}");
            acks.Add((Ack)received!.Packet);
        }

        return acks;
    }

    private DbWriterService StartWriter(string endpoint)
    {
        var writer = new DbWriterService(new DbWriterOptions { DatabasePath = Path.Combine(_tmp.Path, "megatest.db"), Keys = ["X"], Endpoint = endpoint });
        writer.Start();
        return writer;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StatusSentAgainToARestartedWriter_AfterANewerOneWasApplied_DoesNotUndoTheNewerState(bool spoiledBurst)
    {
        var id = RegisterOneTest();
        var agent = new PacketStamp("agent");
        var headers = Enumerable.Range(0, 7).Select(_ => agent.Next(PacketCode.StatusChange)).ToArray();
        var running = new StatusChange { TestId = id, State = "RUNNING", Status = "n/a", Comment = "started", Host = "h1", RunDir = "/runs/a" };
        var completed = new StatusChange { TestId = id, State = "COMPLETED", Status = "PASS", Comment = "done" };
        _service.Stop();

        // Sequence 6 went into the first writer's socket and died with it; the next writer applies 7 and stops too.
        // Sent before that writer binds, the packets reach it together: with a status of an unknown test in front
        // its transaction fails and it applies them one at a time (the one-row path instead of the bulk one).
        var endpoint = $"tcp://127.0.0.1:{FreePorts.Take(1)[0]}";
        var burst = new List<(PacketHeader, IPacket)> { (headers[6], completed) };
        if (spoiledBurst)
        {
            var unknown = new StatusChange { TestId = id + 1000, State = "RUNNING" };
            burst.Insert(0, (_stamp.Next(unknown.Code), unknown));
        }

        using (var client = Endpoints.Configure(new DealerSocket()))
        {
            client.Connect(endpoint);
            DbWriterService? second = null;
            List<Ack> acks;
            try
            {
                acks = SendAll(client, burst, () => second = StartWriter(endpoint));
            }
            finally
            {
                second?.Dispose();
            }

            Assert.Equal(spoiledBurst ? [false, true] : [true], acks.Select(a => a.Ok));
        }

        // A new writer on the same file gets sequence 6 sent again: it is late, so only its set-once fields apply.
        using var third = StartWriter("tcp://127.0.0.1:0");
        using var agentLink = Endpoints.Configure(new DealerSocket());
        agentLink.Connect(third.Endpoint);
        Assert.True(((Ack)Exchange(agentLink, headers[5], running)).Ok);

        using var db = MegatestQueries.Open(Path.Combine(_tmp.Path, "megatest.db"));
        var row = db.GetTest(id)!;
        Assert.Equal(("COMPLETED", "PASS", "done"), (row.State, row.Status, row.Comment));
        Assert.Equal(("h1", "/runs/a"), (row.Host, row.RunDir));
        Assert.Equal(0, third.Duplicates);
    }

    [Fact]
    public void StatusForAnUnknownTest_IsRefusedWithAReason()
    {
        var ack = (Ack)Exchange(new StatusChange { TestId = 4242, State = "RUNNING" });
        Assert.False(ack.Ok);
        Assert.Contains("4242", ack.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AckComesAfterCommit_AndTheChangeIsPublished()
    {
        using var sub = Endpoints.Configure(new SubscriberSocket());
        sub.Connect(_service.PublishEndpoint);
        sub.SubscribeToAnyTopic();
        var token = Guid.NewGuid().ToString("N");
        var live = false;
        for (var i = 0; i < 100 && !live; i++)
        {
            Exchange(new SubscribeProbe { Token = token });
            live = sub.TryReceivePacket(true, TimeSpan.FromMilliseconds(100), out var echo, out _) && echo!.Packet is ProbeEcho e && e.Token == token;
        }

        Assert.True(live, "the subscription never became live");
        var id = RegisterOneTest();
        Assert.True(((Ack)Exchange(new StatusChange { TestId = id, State = "COMPLETED", Status = "FAIL" })).Ok);

        // Committed before the ack: a separate read-only connection sees it at once.
        using (var db = MegatestQueries.Open(Path.Combine(_tmp.Path, "megatest.db")))
        {
            Assert.Equal("FAIL", db.GetTest(id)!.Status);
        }

        TestChanged? last = null;
        while (sub.TryReceivePacket(true, TimeSpan.FromSeconds(2), out var received, out _))
        {
            if (received!.Packet is TestChanged changed)
            {
                last = changed;
                if (changed.Row.Status == "FAIL")
                {
                    break;
                }
            }
        }

        Assert.NotNull(last);
        Assert.Equal(("COMPLETED", "FAIL", "r1"), (last.Row.State, last.Row.Status, last.RunName));
    }
}
