using Megatest.DbWriter;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Storage;
using Megatest.Testing;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Agent.Tests;

public sealed class StatusJournalTests : IDisposable
{
    private readonly TempDir _tmp = new("journal");

    public void Dispose()
    {
        NetMQConfig.Cleanup(block: false);
        _tmp.Dispose();
    }

    [Fact]
    public void Read_ReturnsWrittenPacketsNeverAcknowledged_InOrder_IgnoringACutLine()
    {
        var path = Path.Combine(_tmp.Path, "a.journal");
        var stamp = new PacketStamp("agent@test");
        var first = stamp.Next(PacketCode.StatusChange);
        var second = stamp.Next(PacketCode.Step);
        using (var journal = new StatusJournal(path))
        {
            journal.Written(first, new StatusChange { TestId = 1, State = "RUNNING" });
            journal.Written(second, new Step { TestId = 1, StepName = "s", State = "end", Status = "0" });
            journal.Written(stamp.Next(PacketCode.StatusChange), new StatusChange { TestId = 1, State = "COMPLETED" });
            journal.Acknowledged(first.MessageId);
            Assert.Equal(2, journal.Open);
        }

        File.AppendAllText(path, "+ AAAA"); // a crash in the middle of a line
        var open = StatusJournal.Read(path);
        Assert.Equal([second.MessageId], open.Take(1).Select(o => o.Header.MessageId));
        Assert.Equal(2, open.Count);
        Assert.Equal("COMPLETED", ((StatusChange)open[1].Packet).State);
    }

    [Fact]
    public void Dispose_RemovesTheJournal_WhenEverythingWasAcknowledged()
    {
        var path = Path.Combine(_tmp.Path, "b.journal");
        var header = new PacketStamp("agent@test").Next(PacketCode.StatusChange);
        using (var journal = new StatusJournal(path))
        {
            journal.Written(header, new StatusChange { TestId = 1 });
            journal.Acknowledged(header.MessageId);
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task RestartedAgent_SendsWhatItsEarlierRunNeverSawAcknowledged()
    {
        var dbPath = Path.Combine(_tmp.Path, "megatest.db");
        using var db = new DbWriterService(new DbWriterOptions { DatabasePath = dbPath, Keys = ["X"] });
        db.Start();
        long testId;
        using (var client = Endpoints.Configure(new DealerSocket()))
        {
            client.Connect(db.Endpoint);
            var stamp = new PacketStamp("setup");
            long runId = Requests.Ask<RunRegistered>(client, stamp, new RegisterRun { KeyValues = ["v1"], RunName = "r1", Owner = "me" }).RunId;
            testId = Requests.Ask<TestsRegistered>(client, stamp, new RegisterTests { RunId = runId, Tests = [new TestKey { TestName = "a" }] }).Rows[0].Id;
        }

        // An earlier agent wrote the final status to its journal and died before the ack came back.
        var journalDir = Path.Combine(_tmp.Path, "journal");
        using (var earlier = new StatusJournal(Path.Combine(journalDir, "old-agent.journal")))
        {
            earlier.Written(new PacketStamp("agent@old").Next(PacketCode.StatusChange), new StatusChange { TestId = testId, State = "COMPLETED", Status = "PASS" });
        }

        using var coordinator = Endpoints.Configure(new RouterSocket());
        var coordinatorEndpoint = Endpoints.Bind(coordinator, "tcp://127.0.0.1:0");
        using (var agent = new AgentService(new AgentOptions { CoordinatorEndpoint = coordinatorEndpoint, DbWriterEndpoint = db.Endpoint, JournalDirectory = journalDir, AgentId = "new-agent" }))
        {
            agent.Start();
            using var reader = MegatestQueries.Open(dbPath);
            await Wait.UntilAsync(() => reader.GetTest(testId)!.State == "COMPLETED", TimeSpan.FromSeconds(20), "the journaled status to be committed");
            Assert.Equal("PASS", reader.GetTest(testId)!.Status);

            // The row is committed before the ack reaches the agent: wait until its journal records the ack.
            await Wait.UntilAsync(
                () => Directory.GetFiles(journalDir, "*.journal").Any(f => ReadShared(f).Contains("\n- ", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(20),
                "the new agent's journal to record the ack");
        }

        Assert.Empty(Directory.GetFiles(journalDir, "*.journal"));
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
