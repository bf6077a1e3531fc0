using System.Globalization;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Bench.Ingest;

/// <summary>
/// One sender process: sends COUNT status packets for tests FIRSTID.. to the db writer, at most WINDOW unacknowledged,
/// keeping each packet until it is acknowledged (resending after 10 s); what it sends at once goes in bundles, as an agent's. Waits for "go" on stdin first.
/// Prints "done acked=N t0=TICKS t1=TICKS" (UTC ticks of the first send and the last ack).
/// </summary>
public static class Sender
{
    /// <summary>Runs the sender.</summary>
    public static int Run(string[] args)
    {
        var endpoint = args[1];
        var firstId = long.Parse(args[2], CultureInfo.InvariantCulture);
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        var window = int.Parse(args[4], CultureInfo.InvariantCulture);
        var stamp = new PacketStamp("bench-sender-" + Environment.ProcessId);
        Warm(firstId, window);
        using (var dealer = Endpoints.Configure(new DealerSocket()))
        {
            dealer.Connect(endpoint);
            Console.WriteLine("ready");
            if (Console.ReadLine() != "go")
            {
                return 2;
            }

            var t0 = DateTime.UtcNow.Ticks;
            var cpu0 = (long)System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
            var (acked, refused) = SendAll(dealer, stamp, firstId, count, window);
            if (acked < count)
            {
                Console.WriteLine($"timeout acked={acked}");
                return 1;
            }

            var t1 = DateTime.UtcNow.Ticks;
            var cpu = (long)System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
            Console.WriteLine($"done acked={acked} refused={refused} t0={t0} t1={t1} cpu={cpu} cpu0={cpu0}");
        }

        NetMQConfig.Cleanup(block: false);
        return 0;
    }

    // Sends COUNT packets, at most WINDOW unacknowledged, resending what stays unacknowledged for 10 s; returns how
    // many were acknowledged (fewer than COUNT after a 300 s time-out) and how many of those were refusals.
    private static (int Acked, int Refused) SendAll(DealerSocket dealer, PacketStamp stamp, long firstId, int count, int window)
    {
        var pending = new Dictionary<Guid, (PacketHeader Header, IPacket Packet, long SentAt)>();
        var bundles = new Dictionary<Guid, Guid[]>();
        var fresh = new List<(PacketHeader Header, IPacket Packet)>();
        var sent = 0;
        var acked = 0;
        var refused = 0;
        var deadline = Environment.TickCount64 + 300_000;
        while (acked < count)
        {
            // What the window lets go now leaves as an agent sends what it has queued (AgentService.SendTracked).
            while (sent < count && pending.Count < window)
            {
                var packet = Rows.Change(firstId + sent);
                var header = stamp.Next(packet.Code);
                pending[header.MessageId] = (header, packet, Environment.TickCount64);
                fresh.Add((header, packet));
                sent++;
            }

            foreach (var (bundle, entries) in Bundles.Pack(fresh))
            {
                if (bundle is null)
                {
                    dealer.SendPacket(entries[0].Header, entries[0].Packet);
                }
                else
                {
                    bundles[dealer.SendPacket(stamp, bundle).MessageId] = [.. entries.Select(e => e.Header.MessageId)];
                }
            }

            fresh.Clear();
            if (dealer.TryReceivePacket(false, TimeSpan.FromMilliseconds(100), out var received, out _))
            {
                do
                {
                    if (received!.Header.CorrelationId is not { } corr)
                    {
                        continue;
                    }

                    if (bundles.Remove(corr, out var ids) && received.Packet is BundleAck answer)
                    {
                        for (var i = 0; i < ids.Length; i++)
                        {
                            if (pending.Remove(ids[i]))
                            {
                                acked++;
                                refused += answer.Errors[i].Length > 0 ? 1 : 0;
                            }
                        }
                    }
                    else if (pending.Remove(corr))
                    {
                        acked++;
                        if (received.Packet is Ack { Ok: false })
                        {
                            refused++;
                        }
                    }
                }
                while (dealer.TryReceivePacket(false, TimeSpan.Zero, out received, out _));
            }
            else
            {
                var now = Environment.TickCount64;
                foreach (var (id, p) in pending.Where(kv => now - kv.Value.SentAt > 10_000).ToList())
                {
                    pending[id] = p with { SentAt = now };
                    dealer.SendPacket(p.Header, p.Packet);
                }

                if (now > deadline)
                {
                    break;
                }
            }
        }

        return (acked, refused);
    }

    // An agent is a long-running process: the measured window should see a sender in its steady state, not its
    // start-up JIT compilation. So before "ready", the same send loop runs against an in-process ROUTER that decodes
    // each packet and acks it, in rounds, until a round compiles no new methods (at most 10 s).
    private static void Warm(long firstId, int window)
    {
        using var echo = Endpoints.Configure(new RouterSocket());
        var endpoint = Endpoints.Bind(echo, "tcp://127.0.0.1:0");
        var ackStamp = new PacketStamp("warm-up-echo");
        using var done = new CancellationTokenSource();
        var echoThread = new Thread(() =>
        {
            while (!done.IsCancellationRequested)
            {
                if (echo.TryReceivePacket(true, TimeSpan.FromMilliseconds(50), out var received, out _))
                {
                    IPacket answer = received!.Packet is Bundle b ? new BundleAck { Errors = [.. b.Headers.Select(_ => "")] } : new Ack { Ok = true };
                    echo.SendPacket(ackStamp, answer, received.Header.MessageId, received.Routing);
                }
            }
        }) { IsBackground = true, Name = "warm-up-echo" };
        echoThread.Start();
        using (var dealer = Endpoints.Configure(new DealerSocket()))
        {
            dealer.Connect(endpoint);
            var stamp = new PacketStamp("warm-up");
            var until = Environment.TickCount64 + 10_000;
            var compiled = -1L;
            while (Environment.TickCount64 < until)
            {
                SendAll(dealer, stamp, firstId, 2 * window, window);
                var now = System.Runtime.JitInfo.GetCompiledMethodCount();
                if (now == compiled)
                {
                    break;
                }

                compiled = now;
            }
        }

        done.Cancel();
        echoThread.Join();
    }
}
