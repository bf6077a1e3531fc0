using System.Diagnostics;
using System.Globalization;
using Megatest.Bench.Common;
using Megatest.DbWriter;
using Microsoft.Data.Sqlite;

namespace Megatest.Bench.Ingest;

/// <summary>
/// Alternates, RUNS times: raw batched SQLite upserts of ROWS rows, then the same rows sent as status packets by
/// SENDERS processes to a real DbWriterService (durable: it acks after commit). Prints a markdown table of medians.
/// </summary>
public static class Driver
{
    private const int RawBatch = 1000;

    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        var rows = int.Parse(args[1], CultureInfo.InvariantCulture);
        var senders = int.Parse(args[2], CultureInfo.InvariantCulture);
        var runs = int.Parse(args[3], CultureInfo.InvariantCulture);
        var window = int.Parse(args[4], CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("ingest-bench.").FullName;
        try
        {
            var template = Path.Combine(work, "template.db");
            BenchDb.Create(template, [("r1", ["linux", "1.0"])], rows);
            long firstId;
            using (var c = BenchDb.Open(template))
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT min(id) FROM tests";
                firstId = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            var raw = new List<double>();
            var ours = new List<double>();
            var rawCpu = new List<double>();
            var ourCpu = new List<double>();
            void Raw()
            {
                var (rate, cpu) = RunRaw(template, work, firstId, rows);
                raw.Add(rate);
                rawCpu.Add(cpu);
            }

            void Ours()
            {
                var (rate, cpu) = RunOurs(template, work, firstId, rows, senders, window);
                ours.Add(rate);
                ourCpu.Add(cpu);
            }

            // Both contenders once, unmeasured, ours on a fifth of the rows: the db writer is a long-running daemon, so the
            // measured runs see its steady state rather than the JIT compiling it (and the raw loop's) on first use.
            RunRaw(template, work, firstId, rows, check: false);
            RunOurs(template, work, firstId, rows / 5, senders, window, check: false);
            for (var i = 0; i < runs; i++)
            {
                // Alternate which contender goes first, so both see the same drift in machine load.
                if (i % 2 == 0)
                {
                    Raw();
                    Ours();
                }
                else
                {
                    Ours();
                    Raw();
                }

                Console.Error.WriteLine($"ingest run {i + 1}: raw {Stats.F(raw[^1])} rows/s ({Stats.F(rawCpu[^1], "0.0")} µs CPU/row), db writer {Stats.F(ours[^1])} rows/s ({Stats.F(ourCpu[^1], "0.0")} µs CPU/row)");
            }

            var r = Stats.Median(raw);
            var o = Stats.Median(ours);
            Console.WriteLine($"- {rows} rows (status changes of distinct test rows), {senders} sender processes with at most {window} unacknowledged packets each, median of {runs} alternating runs");
            Console.WriteLine($"- Both write the same database (schema from Megatest.Storage, {rows} test rows) in WAL with synchronous=FULL; every row is checked afterwards");
            Console.WriteLine("- Steady state, as the long-running db writer and agents run: every method is compiled fully optimized on first use (tiered compilation off, for both contenders), each contender runs once unmeasured first, and each sender process runs its send loop against a local echo before the clock starts");
            Console.WriteLine("- CPU/row: CPU time (user + system, all threads) of the writing process(es) per row: for ours the benchmark process hosting the db writer (from the senders' start to the db writer's stop) plus the sender processes (from their start to their last ack); it does not depend on how busy the machine is");
            Console.WriteLine();
            Console.WriteLine("| contender | what | median rows/s | runs (rows/s) | CPU µs/row | vs baseline (rate) | vs baseline (CPU/row) |");
            Console.WriteLine("|---|---|---:|---|---:|---:|---:|");
            Console.WriteLine($"| baseline | one process, prepared `INSERT … ON CONFLICT (id) DO UPDATE` of the same rows, {RawBatch} per transaction | {Stats.F(r)} | {string.Join(", ", raw.Select(x => Stats.F(x)))} | {Stats.F(Stats.Median(rawCpu), "0.0")} | 1.00 | 1.00 |");
            Console.WriteLine($"| ours | {senders} processes → `StatusChange` packets over TCP (bundled as an agent sends them) → DbWriterService (batch per burst, ack after commit, publish) | {Stats.F(o)} | {string.Join(", ", ours.Select(x => Stats.F(x)))} | {Stats.F(Stats.Median(ourCpu), "0.0")} | {Stats.Ratio(o, r)} | {Stats.Ratio(Stats.Median(ourCpu), Stats.Median(rawCpu))} |");
            Console.WriteLine();
            Console.WriteLine($"Goal: at least half the raw rate. {(o >= r / 2 ? "**Met**" : "**Missed**")} ({Stats.Ratio(o, r)}).");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (double Rate, double Cpu) RunRaw(string template, string work, long firstId, int rows, bool check = true)
    {
        var path = Path.Combine(work, "raw.db");
        BenchDb.CopyFresh(template, path);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using (var connection = BenchDb.Open(path))
        {
            BenchDb.Exec(connection, "PRAGMA journal_mode = WAL");
            BenchDb.Exec(connection, "PRAGMA synchronous = FULL");
            using var upsert = connection.CreateCommand();
            upsert.CommandText =
                "INSERT INTO tests (id, run_id, testname, item_path, state, status, comment, run_duration, last_update) " +
                "VALUES (@id, 1, @name, '', @state, @status, @comment, @dur, @now) " +
                "ON CONFLICT (id) DO UPDATE SET state = excluded.state, status = excluded.status, comment = excluded.comment, " +
                "run_duration = excluded.run_duration, last_update = excluded.last_update";
            var pId = upsert.Parameters.Add("@id", SqliteType.Integer);
            var pName = upsert.Parameters.Add("@name", SqliteType.Text);
            var pState = upsert.Parameters.Add("@state", SqliteType.Text);
            var pStatus = upsert.Parameters.Add("@status", SqliteType.Text);
            var pComment = upsert.Parameters.Add("@comment", SqliteType.Text);
            var pDur = upsert.Parameters.Add("@dur", SqliteType.Real);
            var pNow = upsert.Parameters.Add("@now", SqliteType.Integer);
            for (var start = 0; start < rows; start += RawBatch)
            {
                using var tx = connection.BeginTransaction();
                upsert.Transaction = tx;
                var end = Math.Min(rows, start + RawBatch);
                for (var i = start; i < end; i++)
                {
                    var id = firstId + i;
                    pId.Value = id;
                    pName.Value = "t" + i.ToString("D6", CultureInfo.InvariantCulture);
                    pState.Value = Rows.State;
                    pStatus.Value = Rows.Status;
                    pComment.Value = Rows.Comment(id);
                    pDur.Value = Rows.Duration(id);
                    pNow.Value = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                    upsert.ExecuteNonQuery();
                }

                tx.Commit();
            }
        }

        var rate = rows / clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds / rows;
        if (check)
        {
            Verify(path, rows);
        }

        BenchDb.Delete(path);
        return (rate, cpu);
    }

    private static (double Rate, double Cpu) RunOurs(string template, string work, long firstId, int rows, int senders, int window, bool check = true)
    {
        var path = Path.Combine(work, "ours.db");
        BenchDb.CopyFresh(template, path);
        using var writer = new DbWriterService(new DbWriterOptions { DatabasePath = path, Keys = BenchDb.Keys });
        writer.Start();
        var senderCpu = 0L;
        var procs = new List<Process>();
        var per = rows / senders;
        for (var s = 0; s < senders; s++)
        {
            var count = s == senders - 1 ? rows - per * s : per;
            var psi = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "send", writer.Endpoint, (firstId + per * s).ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), window.ToString(CultureInfo.InvariantCulture) })
            {
                psi.ArgumentList.Add(a);
            }

            procs.Add(Process.Start(psi)!);
        }

        foreach (var p in procs)
        {
            var line = p.StandardOutput.ReadLine();
            if (line != "ready")
            {
                throw new InvalidOperationException("sender did not start: " + line);
            }
        }

        Thread.Sleep(200); // let every connection complete
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var p in procs)
        {
            p.StandardInput.WriteLine("go");
            p.StandardInput.Flush();
        }

        long t0 = long.MaxValue, t1 = 0;
        foreach (var p in procs)
        {
            var line = p.StandardOutput.ReadLine() ?? "";
            p.WaitForExit();
            if (!line.StartsWith("done", StringComparison.Ordinal) || p.ExitCode != 0)
            {
                throw new InvalidOperationException($"sender failed (exit {p.ExitCode}): {line}");
            }

            var fields = line.Split(' ').Skip(1).Select(f => f.Split('=')).ToDictionary(f => f[0], f => long.Parse(f[1], CultureInfo.InvariantCulture));
            if (fields["refused"] != 0)
            {
                throw new InvalidOperationException($"db writer refused {fields["refused"]} packets");
            }

            t0 = Math.Min(t0, fields["t0"]);
            t1 = Math.Max(t1, fields["t1"]);
            senderCpu += fields["cpu"] - fields["cpu0"];
            p.Dispose();
        }

        writer.Stop();
        var rate = rows / TimeSpan.FromTicks(t1 - t0).TotalSeconds;
        var writerCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds;
        var cpu = (writerCpu + senderCpu) / rows;
        Console.Error.WriteLine($"  ours: db writer process {Stats.F(writerCpu / rows, "0.0")} µs CPU/row, senders {Stats.F((double)senderCpu / rows, "0.0")} µs CPU/row");
        if (check)
        {
            Verify(path, rows);
        }

        BenchDb.Delete(path);
        return (rate, cpu);
    }

    private static void Verify(string path, int rows)
    {
        using var c = BenchDb.Open(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM tests WHERE state = 'COMPLETED' AND status = 'PASS' AND comment = 'bench ' || id";
        var n = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (n != rows)
        {
            throw new InvalidOperationException($"{path}: expected {rows} rows written, found {n}");
        }
    }
}
