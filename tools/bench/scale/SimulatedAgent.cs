using System.Text;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Bench.Scale;

/// <summary>
/// An agent that speaks the real protocol but runs no processes: for every LaunchTest it sends the db writer
/// RUNNING and then COMPLETED/PASS (as AgentService does around a test body), waits for both acks and tells the
/// coordinator TestEnded. It isolates the coordinator's and db writer's cost per test from process start-up.
/// </summary>
public sealed class SimulatedAgent : IDisposable
{
    private readonly DealerSocket _coordinator = Endpoints.Configure(new DealerSocket());
    private readonly DealerSocket _db = Endpoints.Configure(new DealerSocket());
    private readonly NetMQPoller _poller;
    private readonly PacketStamp _stamp = new("agent@bench");
    private readonly Dictionary<Guid, LaunchTest> _pending = [];
    private readonly Dictionary<long, int> _acksDue = [];
    private readonly Thread _thread;
    private long _ended;

    /// <summary>Connects, says hello with <paramref name="slots"/> slots and starts serving.</summary>
    public SimulatedAgent(string coordinatorEndpoint, string dbEndpoint, int slots)
    {
        _coordinator.Options.Identity = Encoding.UTF8.GetBytes("agent:bench");
        _coordinator.Connect(coordinatorEndpoint);
        _db.Connect(dbEndpoint);
        _coordinator.ReceiveReady += (_, _) =>
        {
            while (_coordinator.TryReceivePacket(false, TimeSpan.Zero, out var p, out _))
            {
                if (p!.Packet is LaunchTest launch)
                {
                    _acksDue[launch.TestId] = 2;
                    Send(launch, new StatusChange { TestId = launch.TestId, State = "RUNNING", Status = "n/a", Host = "bench", EventTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });
                    Send(launch, new StatusChange { TestId = launch.TestId, State = "COMPLETED", Status = "PASS", RunDuration = 0.01 });
                }
            }
        };
        _db.ReceiveReady += (_, _) =>
        {
            while (_db.TryReceivePacket(false, TimeSpan.Zero, out var p, out _))
            {
                if (p!.Header.CorrelationId is { } corr && _pending.Remove(corr, out var launch) && --_acksDue[launch.TestId] == 0)
                {
                    _acksDue.Remove(launch.TestId);
                    _coordinator.SendPacket(_stamp, new TestEnded { RunId = launch.RunId, TestId = launch.TestId, State = "COMPLETED", Status = "PASS", ExitCode = 0 });
                    Interlocked.Increment(ref _ended);
                }
            }
        };
        var heartbeat = new NetMQTimer(TimeSpan.FromSeconds(1));
        heartbeat.Elapsed += (_, _) => _coordinator.SendPacket(_stamp, new Heartbeat { RunningTestIds = [.. _acksDue.Keys], FreeSlots = Math.Max(0, slots - _acksDue.Count) });
        _poller = [_coordinator, _db, heartbeat];
        _coordinator.SendPacket(_stamp, new AgentHello { AgentId = "bench", Host = "bench", Slots = slots, MinVersion = ProtocolVersion.MinSupported, MaxVersion = ProtocolVersion.Current });
        _thread = new Thread(() => _poller.Run()) { IsBackground = true, Name = "simulated agent" };
        _thread.Start();
    }

    /// <summary>Tests ended so far.</summary>
    public long Ended => Interlocked.Read(ref _ended);

    /// <inheritdoc />
    public void Dispose()
    {
        _poller.Stop();
        _thread.Join();
        _poller.Dispose();
        _coordinator.Dispose();
        _db.Dispose();
    }

    private void Send(LaunchTest launch, IPacket packet)
    {
        var header = _stamp.Next(packet.Code);
        _pending[header.MessageId] = launch;
        _db.SendPacket(header, packet);
    }
}
