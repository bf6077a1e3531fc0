using System.Collections.Concurrent;
using Megatest.DbWriter;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Storage;
using Megatest.Testing;
using Microsoft.Extensions.Logging;
using NetMQ.Sockets;

namespace Megatest.Agent.Tests;

/// <summary>A LaunchTest the network delivers twice runs its test once, even when the copy comes after the test ended.</summary>
public sealed class RepeatedLaunchTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly TempDir _tmp = new("relaunch");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task SameLaunchPacketAgain_AfterItsTestEnded_DoesNotRunTheTestAgain()
    {
        var area = Path.Combine(_tmp.Path, "area");
        foreach (var test in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(area, "tests", test));
            File.WriteAllText(Path.Combine(area, "tests", test, "testconfig"), $"[ezsteps]\ncount echo {test} >> {Path.Combine(_tmp.Path, "runs.txt")}\n");
        }

        File.WriteAllText(Path.Combine(area, "megatest.config"), $"[fields]\nKEY TEXT\n\n[setup]\nlinktree {area}/links\n\n[disks]\ndisk0 {area}/runs\n");
        File.WriteAllText(Path.Combine(area, "runconfigs.config"), "[default]\n");
        Directory.CreateDirectory(Path.Combine(area, "runs"));

        var dbPath = Path.Combine(_tmp.Path, "megatest.db");
        using var db = new DbWriterService(new DbWriterOptions { DatabasePath = dbPath, Keys = ["KEY"] });
        db.Start();
        long runId;
        IReadOnlyList<long> ids;
        using (var client = Endpoints.Configure(new DealerSocket()))
        {
            client.Connect(db.Endpoint);
            var setup = new PacketStamp("setup");
            runId = Requests.Ask<RunRegistered>(client, setup, new RegisterRun { KeyValues = ["k1"], RunName = "r1", Owner = "me" }).RunId;
            ids = [.. Requests.Ask<TestsRegistered>(client, setup, new RegisterTests { RunId = runId, Tests = [new TestKey { TestName = "a" }, new TestKey { TestName = "b" }] }).Rows.Select(r => r.Id)];
        }

        using var coordinator = Endpoints.Configure(new RouterSocket());
        var endpoint = Endpoints.Bind(coordinator, "tcp://127.0.0.1:0");
        var logs = new ConcurrentQueue<string>();
        using var agent = new AgentService(new AgentOptions { CoordinatorEndpoint = endpoint, DbWriterEndpoint = db.Endpoint, AgentId = "a1", Slots = 2 }, new ListLogger(logs));
        agent.Start();
        var hello = Receive<AgentHello>(coordinator);
        var stamp = new PacketStamp("coordinator");
        LaunchTest Launch(string name, long id) => new() { RunId = runId, TestId = id, Target = "k1", RunName = "r1", TestName = name, AreaPath = area, Attempt = 1 };

        var first = stamp.Next(PacketCode.LaunchTest);
        coordinator.SendPacket(first, Launch("a", ids[0]), hello.Routing);
        Assert.Equal(ids[0], Receive<TestEnded>(coordinator).Packet.TestId);

        // The copy, late; then another test, so that the agent has handled the copy when b has ended.
        coordinator.SendPacket(first, Launch("a", ids[0]), hello.Routing);
        coordinator.SendPacket(stamp.Next(PacketCode.LaunchTest), Launch("b", ids[1]), hello.Routing);
        Assert.Equal(ids[1], Receive<TestEnded>(coordinator).Packet.TestId);
        await Wait.UntilAsync(() => logs.Any(l => l.Contains("seen before", StringComparison.Ordinal)), s_timeout, "the agent to note the repeated LaunchTest");

        Assert.Equal(["a", "b"], File.ReadAllLines(Path.Combine(_tmp.Path, "runs.txt")));
        using var reader = MegatestQueries.Open(dbPath);
        Assert.Equal(("COMPLETED", "PASS"), (reader.GetTest(ids[0])!.State, reader.GetTest(ids[0])!.Status));
    }

    private static (byte[] Routing, T Packet) Receive<T>(RouterSocket socket)
        where T : class, IPacket
    {
        var deadline = DateTime.UtcNow + s_timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (socket.TryReceivePacket(true, TimeSpan.FromSeconds(1), out var received, out _) && received!.Packet is T packet)
            {
                return (received.Routing!, packet);
            }
        }

        throw new TimeoutException($"no {typeof(T).Name} within {s_timeout.TotalSeconds} s");
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
