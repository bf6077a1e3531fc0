using System.Diagnostics;
using System.Globalization;
using System.Text;
using Megatest.Bench.Common;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Bench.Scale;

/// <summary>
/// One run of one test with ITEMS items ([items] A × B): the db writer and the coordinator each in its own process
/// (peak memory from /proc/PID/status VmHWM), a simulated agent with SLOTS slots, a control client that sends the
/// RunRequest and waits for RunEnded or LIMIT_S seconds. Prints one markdown table row.
/// </summary>
public static class ItemRun
{
    /// <summary>Runs it.</summary>
    public static int Run(string[] args)
    {
        var items = int.Parse(args[1], CultureInfo.InvariantCulture);
        var slots = int.Parse(args[2], CultureInfo.InvariantCulture);
        var limit = TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture));
        var work = Directory.CreateTempSubdirectory("scale-bench.").FullName;
        Process? writerProc = null, coordProc = null;
        try
        {
            var area = MakeArea(work, items);
            var db = Path.Combine(area, "megatest.db");
            writerProc = Start("dbwriter", db);
            var writerEps = writerProc.StandardOutput.ReadLine()!.Split(' ');
            coordProc = Start("coordinator", area, writerEps[0], writerEps[1]);
            var coordEp = coordProc.StandardOutput.ReadLine()!;
            Thread.Sleep(500);
            var idleWriter = Machine.StatusKiB(writerProc.Id, "VmHWM");
            var idleCoord = Machine.StatusKiB(coordProc.Id, "VmHWM");
            using var agent = new SimulatedAgent(coordEp, writerEps[0], slots);
            using var client = Endpoints.Configure(new DealerSocket());
            client.Connect(coordEp);
            var stamp = new PacketStamp("bench-client");
            var clock = Stopwatch.StartNew();
            var sent = client.SendPacket(stamp, new RunRequest { Target = "linux/1.0", RunName = "big", TestPatt = "%", Owner = "bench" });
            var note = "";
            var ended = false;
            var accepted = false;
            var lastReport = TimeSpan.Zero;
            while (clock.Elapsed < limit)
            {
                if (client.TryReceivePacket(false, TimeSpan.FromMilliseconds(200), out var p, out _))
                {
                    if (p!.Packet is ControlAck ack && p.Header.CorrelationId == sent.MessageId)
                    {
                        accepted = ack.Accepted;
                        if (!ack.Accepted)
                        {
                            note = "refused: " + ack.Reason;
                            break;
                        }

                        Console.Error.WriteLine($"  [{clock.Elapsed.TotalSeconds:0}s] accepted: {ack.Reason}");
                    }
                    else if (p.Packet is RunEnded)
                    {
                        ended = true;
                        break;
                    }
                }

                if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
                {
                    lastReport = clock.Elapsed;
                    Console.Error.WriteLine($"  [{clock.Elapsed.TotalSeconds:0}s] {agent.Ended} of {items} items ended; coordinator VmRSS {Machine.StatusKiB(coordProc.Id, "VmRSS") / 1024} MiB, db writer VmRSS {Machine.StatusKiB(writerProc.Id, "VmRSS") / 1024} MiB");
                }
            }

            var wall = clock.Elapsed.TotalSeconds;
            var done = agent.Ended;
            var coordHwm = Machine.StatusKiB(coordProc.Id, "VmHWM");
            var writerHwm = Machine.StatusKiB(writerProc.Id, "VmHWM");
            var coordCpu = Machine.CpuSeconds(coordProc.Id);
            var writerCpu = Machine.CpuSeconds(writerProc.Id);
            var agentCpu = Machine.CpuSeconds(Environment.ProcessId);
            if (!ended && note.Length == 0)
            {
                note = accepted ? $"**did not finish within {limit.TotalSeconds:0} s**" : $"**no ControlAck within {limit.TotalSeconds:0} s**";
            }

            Stop(coordProc);
            Stop(writerProc);
            var size = new[] { "", "-wal" }.Sum(s => File.Exists(db + s) ? new FileInfo(db + s).Length : 0);
            long completed;
            using (var c = BenchDb.Open(db))
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT count(*) FROM tests WHERE state = 'COMPLETED' AND item_path <> ''";
                completed = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            Console.WriteLine($"| {items} | {done} ended, {completed} COMPLETED rows | {Stats.F(wall, "0.0")} | {Stats.F(done / wall, "0")} | {Stats.F(coordHwm / 1024.0)} (idle {Stats.F(idleCoord / 1024.0)}) | {Stats.F(writerHwm / 1024.0)} (idle {Stats.F(idleWriter / 1024.0)}) | {Stats.F(size / 1048576.0, "0.0")} | {Stats.F(coordCpu, "0.0")} / {Stats.F(writerCpu, "0.0")} / {Stats.F(agentCpu, "0.0")} | {(ended ? "run ended" : note)} |");
            return 0;
        }
        finally
        {
            Stop(coordProc);
            Stop(writerProc);
            NetMQConfig.Cleanup(block: false);
            Directory.Delete(work, recursive: true);
        }
    }

    private static string MakeArea(string work, int items)
    {
        var area = Path.Combine(work, "area");
        Directory.CreateDirectory(Path.Combine(area, "tests", "big"));
        File.WriteAllText(Path.Combine(area, "megatest.config"), $"[fields]\nSYS TEXT\nREL TEXT\n\n[disks]\ndisk0 {work}/runs\n");
        File.WriteAllText(Path.Combine(area, "runconfigs.config"), "[default]\n");
        var a = Math.Min(100, items);
        var b = items / a;
        var sb = new StringBuilder("[items]\nA");
        for (var i = 0; i < a; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $" a{i}");
        }

        sb.Append("\nB");
        for (var i = 0; i < b; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $" b{i}");
        }

        sb.Append("\n\n[ezsteps]\nstep1 echo ok\n");
        File.WriteAllText(Path.Combine(area, "tests", "big", "testconfig"), sb.ToString());
        return area;
    }

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    private static void Stop(Process? p)
    {
        if (p is null || p.HasExited)
        {
            return;
        }

        p.StandardInput.Close();
        if (!p.WaitForExit(10_000))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
    }
}
