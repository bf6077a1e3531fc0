using System.Text.Json;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using Megatest.Testing;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Integration.Tests;

/// <summary>
/// The agent's in-test endpoint on a site with <c>[services] security curve</c>: test processes reach it over CURVE and
/// prove the key pair the agent made for their test; a local process without that key, or with another test's key,
/// records nothing. The Python in-test client (tools/protocol/curve_client.py --in-test) needs Debian's python3-zmq,
/// python3-msgpack and python3-nacl (installed by .ci/run).
/// </summary>
public sealed class InTestSecurityTests : IClassFixture<InTestSecurityTests.SecuredSite>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly SecuredSite _secured;

    public InTestSecurityTests(SecuredSite secured) => _secured = secured;

    [Fact]
    public async Task CurveAgent_RecordsTheInTestCommandsOfItsTests_AndOfThePythonClient_WithAKeyOnlyInTheirEnvironment()
    {
        var (area, site) = (_secured.Area, _secured.Site);
        var run = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(2), "-run", "-target", "t1", "-runname", "r1", "-testpatt", "reporter");
        Assert.True(run.ExitCode == 0, run.ToString() + site);

        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        Assert.Equal(("COMPLETED", "PASS", "reported over CURVE"), db.Tests("r1")[("reporter", "")]);
        Assert.Equal(["build/start/n/a", "build/end/0"], db.Query("SELECT stepname, state, status FROM test_steps WHERE stepname = 'build' ORDER BY id").Select(r => $"{r[0]}/{r[1]}/{r[2]}"));
        Assert.Equal(["pystep/start/-"], db.Query("SELECT stepname, state, status FROM test_steps WHERE stepname = 'pystep'").Select(r => $"{r[0]}/{r[1]}/{r[2]}"));
        Assert.Equal("10.5", db.Query("SELECT CAST(value AS TEXT) FROM test_data WHERE category = 'perf' AND variable = 'speed'").Single()[0]?.ToString());

        // The test's processes had their key; the endpoint's public key came with MT_CMDINFO; no file holds the secret.
        var runDir = Path.Combine(area, "links", "t1", "r1", "reporter");
        Assert.True(File.Exists(Path.Combine(runDir, "key-was-set")), "MT_INTEST_KEY was not set in the test's environment");
        Assert.True(CurveKeyPair.IsKey(ReadCmdInfo(runDir).AgentKey ?? ""), "MT_CMDINFO carries no in-test server key");
        Assert.DoesNotContain("MT_INTEST_KEY", File.ReadAllText(Path.Combine(runDir, "megatest.sh")), StringComparison.Ordinal);
        Assert.DoesNotContain("MT_INTEST_KEY", File.ReadAllText(Path.Combine(runDir, "megatest.csh")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CurveAgent_InTestEndpoint_RefusesPlainAndUnknownClients_AndATestKeyForAnotherTest()
    {
        var (area, site) = (_secured.Area, _secured.Site);
        var running = MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(2), "-run", "-target", "t1", "-runname", "r2", "-testpatt", "alpha,beta");
        var alphaDir = Path.Combine(area, "links", "t1", "r2", "alpha");
        var betaDir = Path.Combine(area, "links", "t1", "r2", "beta");
        await Wait.UntilAsync(() => File.Exists(Path.Combine(alphaDir, "gate")) && File.Exists(Path.Combine(betaDir, "gate")), s_timeout, "both tests waiting on their gate");
        var alpha = ReadCmdInfo(alphaDir);
        var beta = ReadCmdInfo(betaDir);
        var endpoint = alpha.AgentEndpoint;
        var stamp = new PacketStamp("rogue@test");

        // (2) Without CURVE: a plain DEALER's Step is never read, and a raw NULL greeting is cut off in the handshake.
        using var plain = Endpoints.Configure(new DealerSocket());
        plain.Connect(endpoint);
        plain.SendPacket(stamp, new Step { TestId = alpha.TestId, StepName = "rogue-plain", State = "end", Status = "0" });
        await SecurityTests.NullGreetingAsync(endpoint);

        // (2) CURVE with a key the agent never made: the hello is refused and the Step dropped.
        var agentKey = new CurveKeyPair("agent in-test", alpha.AgentKey ?? "", null);
        using var unknown = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(unknown, endpoint, new TransportSecurity(CurveKeyPair.Generate("mallory"), agentKey, AllowList.Empty));
        unknown.SendPacket(stamp, new Step { TestId = alpha.TestId, StepName = "rogue-unknown", State = "end", Status = "0" });
        Assert.Equal(AuthOutcome.UnknownKey, Assert.IsType<AuthReply>(Receive(unknown)).Outcome);
        Assert.Equal(AuthOutcome.NotAuthenticated, Assert.IsType<AuthReply>(Receive(unknown)).Outcome);

        // (2) CURVE without any AuthHello: the Step is dropped.
        using var silent = Endpoints.Configure(new DealerSocket());
        new TransportSecurity(CurveKeyPair.Generate("silent"), agentKey, AllowList.Empty).Client(silent);
        silent.Options.Identity = System.Text.Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N"));
        silent.Connect(endpoint);
        silent.SendPacket(stamp, new Step { TestId = alpha.TestId, StepName = "rogue-nohello", State = "end", Status = "0" });
        Assert.Equal(AuthOutcome.NotAuthenticated, Assert.IsType<AuthReply>(Receive(silent)).Outcome);

        // (3) Alpha's own key: good for alpha's packets, refused for beta's id and beta's test_meta.
        var alphaKey = CurveKeyPair.FromSecret("alpha", File.ReadAllText(Path.Combine(alphaDir, "intest.key")), "alpha's key");
        using var borrowed = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(borrowed, endpoint, new TransportSecurity(alphaKey, agentKey, AllowList.Empty));
        Assert.True(Assert.IsType<AuthReply>(Receive(borrowed)).Accepted);
        var other = Assert.IsType<Ack>(Request(borrowed, new Step { TestId = beta.TestId, StepName = "borrowed-other", State = "end", Status = "0" }));
        Assert.False(other.Ok);
        Assert.Contains("good only for that test's own packets", other.Error, StringComparison.Ordinal);
        Assert.False(Assert.IsType<Ack>(Request(borrowed, new TestMetaUpdate { TestName = "beta", Description = "borrowed" })).Ok);
        Assert.True(Assert.IsType<Ack>(Request(borrowed, new Step { TestId = alpha.TestId, StepName = "borrowed-own", State = "end", Status = "0" })).Ok);

        // The plain DEALER never got an answer: the agent never read its Step (everything above was answered meanwhile).
        NetMQMessage? nothing = null;
        Assert.False(plain.TryReceiveMultipartMessage(TimeSpan.Zero, ref nothing));

        foreach (var dir in new[] { alphaDir, betaDir })
        {
            await Task.Run(() => File.WriteAllText(Path.Combine(dir, "gate"), "go\n")).WaitAsync(s_timeout);
        }

        var run = await running;
        Assert.True(run.ExitCode == 0, run.ToString() + site);

        // Alpha's key died with alpha: a hello with it is refused now.
        using var late = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(late, endpoint, new TransportSecurity(alphaKey, agentKey, AllowList.Empty));
        Assert.Equal(AuthOutcome.UnknownKey, Assert.IsType<AuthReply>(Receive(late)).Outcome);

        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        Assert.Equal(("COMPLETED", "PASS"), (db.Tests("r2")[("alpha", "")].State, db.Tests("r2")[("alpha", "")].Status));
        var steps = db.Query("SELECT t.testname, s.stepname FROM test_steps s JOIN tests t ON t.id = s.test_id WHERE s.stepname LIKE 'rogue%' OR s.stepname LIKE 'borrowed%'");
        Assert.Equal(["alpha/borrowed-own"], steps.Select(r => $"{r[0]}/{r[1]}"));
        Assert.Empty(db.Query("SELECT testname FROM test_meta WHERE description = 'borrowed'"));
        var agentLog = site.Agents[0].Stderr;
        Assert.Contains("agent in-test refused a peer", agentLog, StringComparison.Ordinal);
        Assert.Contains("agent in-test dropped Step from a peer that has not authenticated", agentLog, StringComparison.Ordinal);
        Assert.Contains("agent in-test refused a packet", agentLog, StringComparison.Ordinal);
    }

    /// <summary>
    /// An area served by curve-secured daemons and one agent with two slots, shared by the tests of the class. Each test
    /// runs one script as an ezstep: "reporter" uses the in-test commands; "alpha" and "beta" publish what they know and
    /// wait on a FIFO until the test has tried its rogue clients.
    /// </summary>
    public sealed class SecuredSite : IAsyncLifetime
    {
        private readonly TempDir _tmp = new("intestsec");
        private DaemonSite? _site;

        public string Area { get; private set; } = "";

        public DaemonSite Site => _site!;

        public async Task InitializeAsync()
        {
            // The steps go through megatest itself and through the Python client of schemas/ (pyzmq's libzmq CURVE + PyNaCl).
            var python = $"/usr/bin/python3 '{Path.Combine(TestPaths.RepoRoot, "tools", "protocol", "curve_client.py")}' --in-test pystep";
            var reporter = $$"""
                set -e
                {{python}}
                $MT_MEGATEST -step build :state start :status n/a
                $MT_MEGATEST -step build :state end :status 0
                printf 'perf,speed,10.5,10,1,MB/s\n' | $MT_MEGATEST -load-test-data
                $MT_MEGATEST -show-cmdinfo > cmdinfo.json
                if [ -n "$MT_INTEST_KEY" ]; then echo set > key-was-set; fi
                $MT_MEGATEST -test-status :state COMPLETED :status PASS -m "reported over CURVE"
                """;
            var waiter = """
                set -e
                $MT_MEGATEST -show-cmdinfo > cmdinfo.json
                printf %s "$MT_INTEST_KEY" > intest.key
                mkfifo gate
                read -r _ < gate
                """;
            var keys = await SecurityTests.CreateKeysAsync(_tmp.Path, ["server"], ["alice"]);
            Area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "", [.. new[] { ("reporter", reporter), ("alpha", waiter), ("beta", waiter) }
                .Select(t => (t.Item1, new[] { ("testconfig", "[ezsteps]\nmain bash main.sh\n"), ("main.sh", t.Item2 + "\n") }))]);
            _site = await DaemonSite.StartAsync(Area, moreServices: SecurityTests.CurveServices(keys));
            await _site.AddAgentsAsync("agent", 1, slots: 2);
        }

        public Task DisposeAsync()
        {
            _site?.Dispose();
            _tmp.Dispose();
            return Task.CompletedTask;
        }
    }

    private static CmdInfo ReadCmdInfo(string runDir) =>
        JsonSerializer.Deserialize<CmdInfo>(File.ReadAllText(Path.Combine(runDir, "cmdinfo.json")))!;

    /// <summary>What the test reads of <c>$MT_MEGATEST -show-cmdinfo</c>.</summary>
    private sealed record CmdInfo(string AgentEndpoint, long TestId, string? AgentKey);

    /// <summary>The next packet on <paramref name="socket"/>, AuthReplies included (the test looks at them).</summary>
    private static IPacket Receive(DealerSocket socket)
    {
        NetMQMessage? msg = null;
        Assert.True(socket.TryReceiveMultipartMessage(s_timeout, ref msg), "no answer from the agent's in-test endpoint");
        Assert.True(PacketSocketExtensions.TryDecode(msg!, hasRouting: false, out var received, out var error), error?.ToString());
        return received!.Packet;
    }

    /// <summary>Sends <paramref name="packet"/> and returns the answer correlated to it.</summary>
    private static IPacket Request(DealerSocket socket, IPacket packet)
    {
        var sent = socket.SendPacket(new PacketStamp("borrower@test"), packet);
        while (true)
        {
            NetMQMessage? msg = null;
            Assert.True(socket.TryReceiveMultipartMessage(s_timeout, ref msg), $"no answer to {packet.Code}");
            Assert.True(PacketSocketExtensions.TryDecode(msg!, hasRouting: false, out var received, out var error), error?.ToString());
            if (received!.Header.CorrelationId == sent.MessageId)
            {
                return received.Packet;
            }
        }
    }
}
