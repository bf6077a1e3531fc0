using System.Diagnostics;
using System.Buffers.Binary;
using Megatest.Bench.Common;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Bench.Monitor;

/// <summary>The baseline: a bare PUB paced at the rate, a SUB on another thread, a sequence number and a timestamp per message.</summary>
public static class RawPubSub
{
    /// <summary>Runs one paced burst.</summary>
    public static Result Run(int rate, double seconds, int payloadBytes)
    {
        using var pub = new PublisherSocket();
        pub.Options.Linger = TimeSpan.Zero;
        pub.Options.SendHighWatermark = 1_000_000;
        var endpoint = "tcp://127.0.0.1:" + pub.BindRandomPort("tcp://127.0.0.1");
        var total = (long)(rate * seconds);
        var lat = new double[total];
        var received = 0L;
        var gaps = 0L;
        long lastArrival = 0;
        var ready = new ManualResetEventSlim();
        var toMicros = 1_000_000.0 / Stopwatch.Frequency;
        var sub = new Thread(() =>
        {
            using var s = new SubscriberSocket();
            s.Options.ReceiveHighWatermark = 1_000_000;
            s.Connect(endpoint);
            s.Subscribe("run/");
            ready.Set();
            long expected = 1;
            NetMQMessage? msg = null;
            while (expected <= total && s.TryReceiveMultipartMessage(TimeSpan.FromSeconds(5), ref msg))
            {
                var now = Stopwatch.GetTimestamp();
                var body = msg[1].Buffer;
                var seq = BinaryPrimitives.ReadInt64LittleEndian(body);
                var sentAt = BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(8));
                if (seq != expected)
                {
                    gaps += seq - expected;
                }

                expected = seq + 1;
                lat[received++] = (now - sentAt) * toMicros;
                lastArrival = now;
                msg = null;
            }
        })
        { IsBackground = true, Name = "raw sub" };
        sub.Start();
        ready.Wait();
        // Slow joiner: publish until the subscriber has surely connected; these warm-up messages are not counted.
        Thread.Sleep(300);
        var topic = "run/1/test/t000001"u8.ToArray();
        var start = Stopwatch.GetTimestamp();
        for (long i = 1; i <= total; i++)
        {
            Pacer.WaitTurn(start, i - 1, rate);
            var body = new byte[payloadBytes];
            BinaryPrimitives.WriteInt64LittleEndian(body, i);
            BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), Stopwatch.GetTimestamp());
            pub.SendMoreFrame(topic).SendFrame(body);
        }

        sub.Join();
        var n = (int)received;
        var l = lat.AsSpan(0, n).ToArray();
        var achieved = n / ((lastArrival - start) / (double)Stopwatch.Frequency);
        return new Result(total, n, achieved, Stats.Percentile(l, 50), Stats.Percentile(l, 99), double.NaN, double.NaN, gaps + (total - n), 0);
    }
}
