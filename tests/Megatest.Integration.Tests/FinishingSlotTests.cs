using System.Text;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Testing;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Integration.Tests;

/// <summary>
/// An agent frees a test's slot as soon as the test's processes have ended (TestEnded with Finishing), before its last
/// statuses are committed. Against the real coordinator and db writer daemons, with a raw agent of one slot that speaks the
/// protocol by hand: the next test takes the slot at once, a test waiting on the finishing one waits for its committed
/// state, and a finishing test whose agent is lost is not lost with it (it ends INCOMPLETE and the run ends).
/// </summary>
public sealed class FinishingSlotTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TempDir _tmp = new("finish");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task FinishingTest_FreesItsSlot_ItsWaitersWaitForItsCommittedState_AndALostAgentLosesNothing()
    {
        // a, b waiting on a, c; plan order a, b, c. reruns 0: a test lost with its agent ends INCOMPLETE for good.
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "[setup]\nreruns 0\n",
            ("a", [("testconfig", "[ezsteps]\ns echo a\n")]),
            ("b", [("testconfig", "[requirements]\nwaiton a\n\n[ezsteps]\ns echo b\n")]),
            ("c", [("testconfig", "[ezsteps]\ns echo c\n")]));
        using var site = await DaemonSite.StartAsync(area);
        using var agent = new RawAgent(site.CoordinatorEndpoint, site.DbWriterEndpoint);
        agent.Register();
        using var run = DaemonProcess.StartMegatest("run", area, null, "-run", "-target", "k1", "-runname", "early", "-testpatt", "%");

        var a = agent.NextLaunch("a to be launched\n" + site + run);
        Assert.Equal("a", a.TestName);
        Assert.True(a.FinishingEnds);

        // a's processes ended; its statuses are not committed (its row says LAUNCHED). Its slot takes the next ready
        // test: c, not b, which comes before c in the plan but waits for a's committed end.
        agent.Ended(a, finishing: true);
        var c = agent.NextLaunch("c to take a's slot\n" + site + run);
        Assert.Equal("c", c.TestName);

        // a's end is committed, c's processes end: now b is ready and takes the slot.
        agent.Commit(a, "COMPLETED", "PASS");
        agent.Ended(a, finishing: false);
        agent.Ended(c, finishing: true);
        var b = agent.NextLaunch("b to run once a's end is committed\n" + site + run);
        Assert.Equal("b", b.TestName);

        // The agent goes while b runs and c is finishing (its last statuses never committed): neither is lost.
        agent.Bye();
        Assert.True(await run.WaitForExitAsync(s_timeout) == 0, run.ToString() + site);
        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var rows = db.Tests("early");
        Assert.Equal(("COMPLETED", "PASS"), (rows[("a", "")].State, rows[("a", "")].Status));
        Assert.Equal(("INCOMPLETE", "DEAD"), (rows[("b", "")].State, rows[("b", "")].Status));
        Assert.Equal(("INCOMPLETE", "DEAD"), (rows[("c", "")].State, rows[("c", "")].Status));
    }

    /// <summary>An agent of one slot driven by the test: it runs nothing and says what the test tells it to.</summary>
    private sealed class RawAgent : IDisposable
    {
        private readonly DealerSocket _coordinator = Endpoints.Configure(new DealerSocket());
        private readonly DealerSocket _db = Endpoints.Configure(new DealerSocket());
        private readonly PacketStamp _stamp = new("agent@raw#" + Guid.NewGuid().ToString("N")[..8]);

        public RawAgent(string coordinator, string dbWriter)
        {
            _coordinator.Options.Identity = Encoding.UTF8.GetBytes("agent:raw");
            Endpoints.Connect(_coordinator, coordinator, null);
            Endpoints.Connect(_db, dbWriter, null);
        }

        public void Register()
        {
            _coordinator.SendPacket(_stamp, new AgentHello { AgentId = "raw", Host = "raw", Slots = 1, MinVersion = ProtocolVersion.MinSupported, MaxVersion = ProtocolVersion.Current });
            Assert.True(Next<AgentWelcome>("the welcome").Accepted);
        }

        /// <summary>The next LaunchTest (heart-beating meanwhile, as an agent does).</summary>
        public LaunchTest NextLaunch(string what) => Next<LaunchTest>(what);

        public void Ended(LaunchTest launch, bool finishing) =>
            _coordinator.SendPacket(_stamp, new TestEnded { RunId = launch.RunId, TestId = launch.TestId, State = "COMPLETED", Status = "PASS", Finishing = finishing });

        /// <summary>Sends a status to the db writer and waits for its ack (it is committed then).</summary>
        public void Commit(LaunchTest launch, string state, string status)
        {
            var sent = _db.SendPacket(_stamp, new StatusChange { TestId = launch.TestId, State = state, Status = status });
            var deadline = DateTime.UtcNow + s_timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (_db.TryReceivePacket(false, TimeSpan.FromMilliseconds(200), out var p, out _) && p!.Header.CorrelationId == sent.MessageId)
                {
                    Assert.True(((Ack)p.Packet).Ok);
                    return;
                }
            }

            Assert.Fail($"no ack for the status of {launch.TestName} within {s_timeout.TotalSeconds:0} s");
        }

        public void Bye() => _coordinator.SendPacket(_stamp, new AgentBye { Reason = "test over" });

        private T Next<T>(string what)
            where T : class, IPacket
        {
            var deadline = DateTime.UtcNow + s_timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (_coordinator.TryReceivePacket(false, TimeSpan.FromMilliseconds(500), out var p, out _) && p!.Packet is T wanted)
                {
                    return wanted;
                }

                _coordinator.SendPacket(_stamp, new Heartbeat());
            }

            Assert.Fail($"timed out after {s_timeout.TotalSeconds:0} s waiting for {what}");
            return null!;
        }

        public void Dispose()
        {
            _coordinator.Dispose();
            _db.Dispose();
        }
    }
}
