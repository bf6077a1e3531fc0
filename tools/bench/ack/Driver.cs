using System.Diagnostics;
using System.Globalization;
using Megatest.Bench.Common;
using Megatest.DbWriter;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Scheduling;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Bench.Ack;

/// <summary>
/// Sequential request/ack round trips (one outstanding) from a DEALER on the main thread:
/// a control packet (KillRequest) to a real CoordinatorService, answered by ControlAck; a status packet
/// (StatusChange) to a real DbWriterService, acknowledged after its commit; and the raw NetMQ round trips
/// they are measured against (the same frames echoed by a bare ROUTER, and echoed after one SQLite commit).
/// </summary>
public static class Driver
{
    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        var count = int.Parse(args[0], CultureInfo.InvariantCulture);
        var runs = int.Parse(args[1], CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("ack-bench.").FullName;
        try
        {
            var dbPath = Path.Combine(work, "megatest.db");
            var runIds = BenchDb.Create(dbPath, [("r1", ["linux", "1.0"])], 100);
            using var writer = new DbWriterService(new DbWriterOptions { DatabasePath = dbPath, Keys = BenchDb.Keys });
            writer.Start();
            using var coordinator = new CoordinatorService(new CoordinatorOptions { AreaPath = work, DbWriterEndpoint = writer.Endpoint, DbWriterPublishEndpoint = writer.PublishEndpoint, ControlPacketsPerSecond = 1_000_000, ControlPacketBurst = 1_000_000 });
            coordinator.Start();
            using var echo = new EchoServer(null);
            using var durableEcho = new EchoServer(Path.Combine(work, "echo.db"));
            long firstTest;
            using (var c = BenchDb.Open(dbPath))
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT min(id) FROM tests";
                firstTest = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            var stamp = new PacketStamp("bench-client");
            var kill = new KillRequest { Target = "no/such", RunName = "nothing", TestPatt = "%" };
            IPacket Status(int i) => new StatusChange { TestId = firstTest + (i % 100), State = "RUNNING", Status = "n/a", Comment = "ack " + i };

            var contenders = new (string Name, string What, string Endpoint, Func<int, IPacket> Packet, bool Raw)[]
            {
                ("baseline", "raw NetMQ round trip: the same KillRequest frames echoed by a bare ROUTER (no decoding)", echo.Endpoint, _ => kill, true),
                ("ours", "control packet: KillRequest → CoordinatorService → ControlAck (decode, handle, encode)", coordinator.Endpoint, _ => kill, false),
                ("baseline (durable)", "raw NetMQ round trip + one single-row SQLite commit (WAL, synchronous=FULL) before the echo", durableEcho.Endpoint, Status, true),
                ("ours (durable)", "status packet: StatusChange → DbWriterService → Ack after its commit (WAL, synchronous=FULL)", writer.Endpoint, Status, false),
            };
            var samples = contenders.Select(_ => new List<double>()).ToArray();
            var p50s = contenders.Select(_ => new List<double>()).ToArray();
            var p99s = contenders.Select(_ => new List<double>()).ToArray();
            foreach (var (c, i) in contenders.Select((c, i) => (c, i)))
            {
                Measure(c.Endpoint, stamp, c.Packet, c.Raw, Math.Min(count, 500)); // warm-up: JIT, connections
            }

            for (var run = 0; run < runs; run++)
            {
                for (var k = 0; k < contenders.Length; k++)
                {
                    var c = contenders[k];
                    var lat = Measure(c.Endpoint, stamp, c.Packet, c.Raw, count);
                    samples[k].AddRange(lat);
                    p50s[k].Add(Stats.Percentile(lat, 50));
                    p99s[k].Add(Stats.Percentile(lat, 99));
                    Console.Error.WriteLine($"  {c.Name}: p90 {Stats.F(Stats.Percentile(lat, 90))} µs, p99.9 {Stats.F(Stats.Percentile(lat, 99.9))} µs, {lat.Count(x => x > 1000)} of {lat.Length} over 1 ms");
                }

                Console.Error.WriteLine($"ack run {run + 1}: " + string.Join(", ", contenders.Select((c, k) => $"{c.Name} p50 {Stats.F(p50s[k][^1])} µs p99 {Stats.F(p99s[k][^1])} µs")));
            }

            Console.WriteLine($"- {count} sequential round trips per block (one request outstanding), blocks alternating between contenders, {runs} blocks each; p50/p99 are medians over the blocks");
            Console.WriteLine("- Client: a DEALER on the benchmark's main thread; servers: real roles (or a bare ROUTER) on their own poller threads in the same process, loopback TCP");
            Console.WriteLine();
            Console.WriteLine("| contender | what | p50 µs | p99 µs | max µs | p99 vs baseline |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|");
            for (var k = 0; k < contenders.Length; k++)
            {
                var baseIndex = k < 2 ? 0 : 2;
                var all = samples[k].ToArray();
                Console.WriteLine($"| {contenders[k].Name} | {contenders[k].What} | {Stats.F(Stats.Median(p50s[k]))} | {Stats.F(Stats.Median(p99s[k]))} | {Stats.F(all.Max())} | {Stats.Ratio(Stats.Median(p99s[k]), Stats.Median(p99s[baseIndex]))} |");
            }

            var p99 = Stats.Median(p99s[1]);
            Console.WriteLine();
            Console.WriteLine($"Goal: control packet ack p99 under 5 ms. {(p99 < 5000 ? "**Met**" : "**Missed**")} ({Stats.F(p99 / 1000, "0.00")} ms).");
            return 0;
        }
        finally
        {
            NetMQConfig.Cleanup(block: false);
            Directory.Delete(work, recursive: true);
        }
    }

    private static double[] Measure(string endpoint, PacketStamp stamp, Func<int, IPacket> packetOf, bool raw, int count)
    {
        using var dealer = Endpoints.Configure(new DealerSocket());
        dealer.Connect(endpoint);
        var lat = new double[count];
        var toMicros = 1_000_000.0 / Stopwatch.Frequency;
        for (var i = 0; i < count; i++)
        {
            var packet = packetOf(i);
            var header = stamp.Next(packet.Code);
            var t0 = Stopwatch.GetTimestamp();
            dealer.SendPacket(header, packet);
            while (true)
            {
                if (!dealer.TryReceivePacket(false, TimeSpan.FromSeconds(10), out var received, out var error))
                {
                    throw new InvalidOperationException($"no answer from {endpoint} within 10 s ({error})");
                }

                // The raw echo returns our own packet (its message id); the roles answer with a correlation id.
                var answered = raw ? received!.Header.MessageId : received!.Header.CorrelationId;
                if (answered == header.MessageId)
                {
                    if (!raw && received.Packet is ControlAck { Accepted: false } or global::Megatest.Protocol.Ack { Ok: false })
                    {
                        throw new InvalidOperationException($"{endpoint} refused the packet: {received.Packet}");
                    }

                    break;
                }
            }

            lat[i] = (Stopwatch.GetTimestamp() - t0) * toMicros;
        }

        return lat;
    }
}
