using System.Globalization;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Bench.Ingest;

/// <summary>
/// One sender process: sends COUNT status packets for tests FIRSTID.. to the db writer, at most WINDOW unacknowledged,
/// keeping each packet until it is acknowledged (resending after 10 s). Waits for "go" on stdin first.
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
        var pending = new Dictionary<Guid, (PacketHeader Header, IPacket Packet, long SentAt)>();
        using (var dealer = Endpoints.Configure(new DealerSocket()))
        {
            dealer.Connect(endpoint);
            Warm(firstId);
            Console.WriteLine("ready");
            if (Console.ReadLine() != "go")
            {
                return 2;
            }

            var t0 = DateTime.UtcNow.Ticks;
            var cpu0 = (long)System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
            var sent = 0;
            var acked = 0;
            var refused = 0;
            var deadline = Environment.TickCount64 + 300_000;
            while (acked < count)
            {
                while (sent < count && pending.Count < window)
                {
                    var packet = Rows.Change(firstId + sent);
                    var header = stamp.Next(packet.Code);
                    pending[header.MessageId] = (header, packet, Environment.TickCount64);
                    dealer.SendPacket(header, packet);
                    sent++;
                }

                if (dealer.TryReceivePacket(false, TimeSpan.FromMilliseconds(100), out var received, out _))
                {
                    do
                    {
                        if (received!.Header.CorrelationId is { } corr && pending.Remove(corr))
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
                        Console.WriteLine($"timeout acked={acked}");
                        return 1;
                    }
                }
            }

            var t1 = DateTime.UtcNow.Ticks;
            var cpu = (long)System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
            Console.WriteLine($"done acked={acked} refused={refused} t0={t0} t1={t1} cpu={cpu} cpu0={cpu0}");
        }

        NetMQConfig.Cleanup(block: false);
        return 0;
    }

    // Encodes a packet and decodes an ack once before the clock starts, so the measured window sees a warm sender
    // (an agent is a long-running process) rather than its first-call JIT compilation.
    private static void Warm(long testId)
    {
        var header = new PacketStamp("warm-up").Next(PacketCode.StatusChange);
        PacketCodec.EncodeHeader(header);
        PacketCodec.EncodeBody(Rows.Change(testId));
        var ack = new PacketStamp("warm-up").Next(PacketCode.Ack, header.MessageId);
        PacketCodec.TryDecode(PacketCodec.EncodeHeader(ack), PacketCodec.EncodeBody(new Ack { Ok = true }), out _, out _, out _);
    }
}
