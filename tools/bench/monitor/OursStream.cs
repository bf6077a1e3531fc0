using System.Diagnostics;
using System.Globalization;
using Megatest.Bench.Common;
using Megatest.DbWriter;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Bench.Monitor;

/// <summary>
/// Ours: a sender paces StatusChange packets at the rate into a real DbWriterService; a subscriber on the writer's
/// change stream measures how long each committed change takes to reach it, counts sequence gaps, resynchronises
/// from a snapshot on a gap (or after 2 s of silence short of the end) and finally checks every row it holds.
/// </summary>
public static class OursStream
{
    /// <summary>Runs one paced burst against a fresh copy of <paramref name="template"/> (its tests start at <paramref name="firstId"/>).</summary>
    public static Result Run(string template, string work, long runId, long firstId, int rows, int rate, double seconds)
    {
        var path = Path.Combine(work, "monitor.db");
        BenchDb.CopyFresh(template, path);
        using var writer = new DbWriterService(new DbWriterOptions { DatabasePath = path, Keys = BenchDb.Keys });
        writer.Start();
        var total = (long)(rate * seconds);
        var lat = new double[total];
        var stampLat = new double[total];
        var view = new Dictionary<long, (long Seq, string Comment)>();
        var expected = new string[rows];
        long received = 0, gaps = 0, last = 0, lastArrival = 0, seqBase = -1;
        var ready = new ManualResetEventSlim();
        var toMicros = 1_000_000.0 / Stopwatch.Frequency;
        var stamp = new PacketStamp("bench-monitor");
        var sub = new Thread(() =>
        {
            using var s = Endpoints.Configure(new SubscriberSocket());
            using var d = Endpoints.Configure(new DealerSocket());
            s.Connect(writer.PublishEndpoint);
            s.SubscribeToAnyTopic();
            d.Connect(writer.Endpoint);
            var token = Guid.NewGuid().ToString("N");
            var snapshotPending = false;
            var lastProgress = Environment.TickCount64;
            using var poller = new NetMQPoller { s, d };
            var probe = new NetMQTimer(TimeSpan.FromMilliseconds(100));
            var watch = new NetMQTimer(TimeSpan.FromMilliseconds(200));
            void Resync()
            {
                if (!snapshotPending)
                {
                    snapshotPending = true;
                    d.SendPacket(stamp, new SnapshotRequest { RunId = runId });
                }
            }

            void Finish()
            {
                if (ready.IsSet && seqBase >= 0 && last - seqBase >= total && !snapshotPending)
                {
                    poller.Stop();
                }
            }

            probe.Elapsed += (_, _) => d.SendPacket(stamp, new SubscribeProbe { Token = token });
            watch.Elapsed += (_, _) =>
            {
                var quiet = Environment.TickCount64 - lastProgress;
                if (ready.IsSet && (seqBase < 0 || last - seqBase < total) && quiet > 2000)
                {
                    Resync(); // the tail of the stream may be lost: ask rather than wait forever
                    lastProgress = Environment.TickCount64;
                }

                if (quiet > 30_000)
                {
                    poller.Stop();
                }
            };
            s.ReceiveReady += (_, _) =>
            {
                while (s.TryReceivePacket(true, TimeSpan.Zero, out var p, out _))
                {
                    var now = Stopwatch.GetTimestamp();
                    switch (p!.Packet)
                    {
                        case ProbeEcho echo when echo.Token == token && !ready.IsSet:
                            probe.Enable = false;
                            ready.Set();
                            break;
                        case TestChanged changed:
                        {
                            var seq = p.Header.Sequence;
                            if (received < total && long.TryParse(changed.Row.Comment, NumberStyles.Integer, CultureInfo.InvariantCulture, out var sentAt))
                            {
                                lat[received] = (now - sentAt) * toMicros;
                                stampLat[received] = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10.0 - p.Header.SentAtUnixMs * 1000.0;
                                received++;
                            }

                            if (seqBase < 0)
                            {
                                // Sequences start above what earlier db writers of the database published (an epoch):
                                // the first change sets the base; the final check below still catches a lost first row.
                                seqBase = seq - 1;
                                last = Math.Max(last, seqBase);
                            }

                            if (seq > last + 1)
                            {
                                gaps += seq - last - 1;
                                Resync();
                            }

                            last = Math.Max(last, seq);
                            if (!view.TryGetValue(changed.Row.Id, out var v) || v.Seq < seq)
                            {
                                view[changed.Row.Id] = (seq, changed.Row.Comment);
                            }

                            lastArrival = now;
                            lastProgress = Environment.TickCount64;
                            break;
                        }
                    }
                }

                Finish();
            };
            d.ReceiveReady += (_, _) =>
            {
                while (d.TryReceivePacket(false, TimeSpan.Zero, out var p, out _))
                {
                    if (p!.Packet is Snapshot snap)
                    {
                        snapshotPending = false;
                        foreach (var row in snap.Rows)
                        {
                            if (!view.TryGetValue(row.Id, out var v) || v.Seq <= snap.Sequence)
                            {
                                view[row.Id] = (snap.Sequence, row.Comment);
                            }
                        }

                        last = Math.Max(last, snap.Sequence);
                    }
                }

                Finish();
            };
            poller.Add(probe);
            poller.Add(watch);
            poller.Run();
        })
        { IsBackground = true, Name = "monitor sub" };
        sub.Start();
        if (!ready.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("the change stream never answered the subscription probe");
        }

        var acked = SendPaced(writer.Endpoint, firstId, rows, rate, total, expected);
        sub.Join();
        writer.Stop();
        BenchDb.Delete(path);
        if (acked != total)
        {
            throw new InvalidOperationException($"the db writer acknowledged {acked} of {total} packets");
        }

        var missed = 0L;
        for (var i = 0; i < rows; i++)
        {
            if (expected[i] is { } want && (!view.TryGetValue(firstId + i, out var have) || have.Comment != want))
            {
                missed++;
            }
        }

        var n = (int)received;
        var achieved = n / ((lastArrival - Start) / (double)Stopwatch.Frequency);
        return new Result(total, n, achieved, Stats.Percentile(lat.AsSpan(0, n).ToArray(), 50), Stats.Percentile(lat.AsSpan(0, n).ToArray(), 99),
            Stats.Percentile(stampLat.AsSpan(0, n).ToArray(), 50), Stats.Percentile(stampLat.AsSpan(0, n).ToArray(), 99), gaps, missed);
    }

    private static long Start { get; set; }

    private static long SendPaced(string endpoint, long firstId, int rows, int rate, long total, string[] expected)
    {
        using var dealer = Endpoints.Configure(new DealerSocket());
        dealer.Connect(endpoint);
        var stamp = new PacketStamp("bench-sender");
        var acked = 0L;
        Start = Stopwatch.GetTimestamp();
        for (long i = 0; i < total; i++)
        {
            Pacer.WaitTurn(Start, i, rate);
            var row = (int)(i % rows);
            var comment = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
            expected[row] = comment;
            dealer.SendPacket(stamp, new StatusChange { TestId = firstId + row, State = "RUNNING", Status = "n/a", Comment = comment });
            while (dealer.TryReceivePacket(false, TimeSpan.Zero, out _, out _))
            {
                acked++;
            }
        }

        var deadline = Environment.TickCount64 + 120_000;
        while (acked < total && Environment.TickCount64 < deadline)
        {
            if (dealer.TryReceivePacket(false, TimeSpan.FromMilliseconds(100), out _, out _))
            {
                acked++;
            }
        }

        return acked;
    }
}
