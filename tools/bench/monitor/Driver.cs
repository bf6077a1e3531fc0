using System.Globalization;
using Megatest.Bench.Common;
using NetMQ;

namespace Megatest.Bench.Monitor;

/// <summary>Alternates raw PUB/SUB and ours at each rate, RUNS times, and prints medians.</summary>
public static class Driver
{
    private const int Rows = 10_000;

    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        var seconds = double.Parse(args[0], CultureInfo.InvariantCulture);
        var runs = int.Parse(args[1], CultureInfo.InvariantCulture);
        var rates = args.Skip(2).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var work = Directory.CreateTempSubdirectory("monitor-bench.").FullName;
        try
        {
            var template = Path.Combine(work, "template.db");
            var runId = BenchDb.Create(template, [("r1", ["linux", "1.0"])], Rows)[0];
            long firstId;
            using (var c = BenchDb.Open(template))
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT min(id) FROM tests";
                firstId = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            OursStream.Run(template, work, runId, firstId, Rows, 2000, 0.5); // warm-up
            RawPubSub.Run(2000, 0.5, 160);
            Console.WriteLine($"- Each run sends for {Stats.F(seconds, "0.#")} s at the offered rate, spread over {Rows} test rows; raw and ours alternate, {runs} runs each; figures are medians over the runs");
            Console.WriteLine("- Ours: a sender thread paces `StatusChange` packets into a real DbWriterService; a subscriber thread on its PUB stream (with a subscription probe first) receives each committed `TestChanged`.");
            Console.WriteLine("  Latency is from the send of the status packet to the subscriber (so it includes the commit: an upper bound of commit → subscriber);");
            Console.WriteLine("  \"stamp\" is from the writer's header time stamp, taken right after the commit but with 1 ms resolution (overstates by up to 1 ms).");
            Console.WriteLine("- Missed: changes absent from the stream (sequence gaps); after resync: rows whose latest value the subscriber does not hold after its snapshot resynchronisation (goal 0)");
            Console.WriteLine("- Baseline: a bare PUB paced at the same rate to a SUB thread, same frame sizes, latency send → receive");
            Console.WriteLine();
            Console.WriteLine("| offered changes/s | contender | achieved/s | p50 µs | p99 µs | stamp p50 / p99 µs | missed on stream | missed after resync | p99 vs baseline |");
            Console.WriteLine("|---:|---|---:|---:|---:|---|---:|---:|---:|");
            var allZero = true;
            foreach (var rate in rates)
            {
                var raw = new List<Result>();
                var ours = new List<Result>();
                for (var i = 0; i < runs; i++)
                {
                    if (i % 2 == 0)
                    {
                        raw.Add(RawPubSub.Run(rate, seconds, 160));
                        ours.Add(OursStream.Run(template, work, runId, firstId, Rows, rate, seconds));
                    }
                    else
                    {
                        ours.Add(OursStream.Run(template, work, runId, firstId, Rows, rate, seconds));
                        raw.Add(RawPubSub.Run(rate, seconds, 160));
                    }

                    Console.Error.WriteLine($"monitor {rate}/s run {i + 1}: raw {raw[^1]}; ours {ours[^1]}");
                }

                var rp99 = Stats.Median(raw.Select(r => r.P99));
                var op99 = Stats.Median(ours.Select(r => r.P99));
                Console.WriteLine($"| {rate} | baseline | {Stats.F(Stats.Median(raw.Select(r => r.Achieved)))} | {Stats.F(Stats.Median(raw.Select(r => r.P50)))} | {Stats.F(rp99)} | – | {raw.Sum(r => r.Gaps)} | – | 1.00 |");
                Console.WriteLine($"| {rate} | ours | {Stats.F(Stats.Median(ours.Select(r => r.Achieved)))} | {Stats.F(Stats.Median(ours.Select(r => r.P50)))} | {Stats.F(op99)} | {Stats.F(Stats.Median(ours.Select(r => r.StampP50)))} / {Stats.F(Stats.Median(ours.Select(r => r.StampP99)))} | {ours.Sum(r => r.Gaps)} | {ours.Sum(r => r.MissedAfterResync)} | {Stats.Ratio(op99, rp99)} |");
                allZero &= ours.All(r => r.MissedAfterResync == 0);
            }

            Console.WriteLine();
            Console.WriteLine($"Goal: no change missed after resynchronisation. {(allZero ? "**Met**" : "**Missed**")}. Missed counts are totals over all runs.");
            return 0;
        }
        finally
        {
            NetMQConfig.Cleanup(block: false);
            Directory.Delete(work, recursive: true);
        }
    }
}
