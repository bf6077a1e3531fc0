using System.Reflection;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using Xunit.Abstractions;

namespace Megatest.Fuzz.Tests;

/// <summary>
/// Packets come from outside: whatever bytes arrive, decoding returns (within ten seconds even on a loaded CI machine; a hang never returns), never throws, stays
/// within a memory bound and, when it refuses, names the field and the reason. Seeds are fixed; a failure
/// prints the case seed, which <see cref="PacketCaseGenerator.Generate"/> turns back into the same input.
/// </summary>
public sealed class PacketFuzzTests(ITestOutputHelper output)
{
    private const int PacketBaseSeed = 60_001;
    private const int MultipartBaseSeed = 60_002;
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    [Fact]
    public void TryDecode_NeverThrowsOrHangs_WhenFramesAreRandomOrMutated()
    {
        var nullsAccepted = 0L;
        var report = FuzzRunner.Run(
            new FuzzPlan("packets (PacketCodec.TryDecode)", PacketBaseSeed, 120_000, s_limit),
            PacketCaseGenerator.Generate,
            input =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var ok = PacketCodec.TryDecode(input.Header, input.Body, out var header, out var packet, out var error);
                DecodeChecks.Allocation(GC.GetAllocatedBytesForCurrentThread() - before);
                if (!ok)
                {
                    DecodeChecks.Refused(error, packet);
                    return FuzzOutcome.Rejected;
                }

                DecodeChecks.Accepted(header, packet, error);
                if (DecodeChecks.NullsInNonNullableMembers(packet!) > 0)
                {
                    Interlocked.Increment(ref nullsAccepted);
                }

                if (packet is Bundle bundle)
                {
                    // What the db writer does next with a bundle: its entries decode one by one, never throwing.
                    Bundles.Unpack(new ReceivedPacket(null, header!, bundle), bundle, out _);
                }

                return FuzzOutcome.Accepted;
            },
            input => input.Describe());

        output.WriteLine(report.ToString());
        output.WriteLine($"  of the accepted: {nullsAccepted} packet(s) hold null in a member declared non-nullable (nil accepted on the wire)");
        Assert.True(report.Clean, report.ToString());
        Assert.Equal(120_000, report.Tried);
        Assert.True(report.Accepted + report.Rejected >= 100_000, "fewer than 100 000 inputs were run to an outcome");
    }

    [Fact]
    public void TryDecode_RefusesNamingTheFrames_WhenMultipartMessagesHaveWrongFrameCounts()
    {
        var report = FuzzRunner.Run(
            new FuzzPlan("multipart (PacketSocketExtensions.TryDecode)", MultipartBaseSeed, 30_000, s_limit),
            MultipartCaseGenerator.Generate,
            input =>
            {
                var msg = new NetMQMessage(input.Frames);
                var ok = PacketSocketExtensions.TryDecode(msg, input.HasRouting, out var received, out var error);
                var expected = input.HasRouting ? 3 : 2;
                if (input.Frames.Length != expected)
                {
                    if (ok || error?.Field != "frames")
                    {
                        throw new FuzzContractException($"{input.Frames.Length} frames where {expected} are expected, but got ok={ok} error={error}");
                    }
                }

                if (!ok)
                {
                    DecodeChecks.Refused(error, received);
                    return FuzzOutcome.Rejected;
                }

                DecodeChecks.Accepted(received!.Header, received.Packet, error);
                if (input.HasRouting && !received.Routing!.AsSpan().SequenceEqual(input.Frames[0]))
                {
                    throw new FuzzContractException("routing frame not passed through");
                }

                return FuzzOutcome.Accepted;
            },
            input => input.Describe());

        output.WriteLine(report.ToString());
        Assert.True(report.Clean, report.ToString());
        Assert.Equal(30_000, report.Tried);
    }

    [Fact]
    public void TryDecode_StaysWithinTheMemoryBound_WhenFieldsFillTheBodyLimit()
    {
        // For each kind of variable-size field, one packet whose field alone fills the body up to the limit.
        var rng = new Random(60_003);
        var done = new HashSet<Type>();
        var budget = PacketCodec.MaxBodyBytes - (64 * 1024);
        foreach (var (code, type) in PacketRegistry.All.OrderBy(kv => (int)kv.Key))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var big = BigValue(property.PropertyType, budget);
                if (big is null || !done.Add(property.PropertyType))
                {
                    continue;
                }

                var packet = (IPacket)PacketValueFactory.Create(type, rng);
                property.SetValue(packet, big);
                var body = PacketCodec.EncodeBody(packet);
                var header = PacketCodec.EncodeHeader(new PacketHeader(ProtocolVersion.Current, code, Guid.NewGuid(), null, "fuzz", 1, 1));
                var before = GC.GetAllocatedBytesForCurrentThread();
                var ok = PacketCodec.TryDecode(header, body, out _, out _, out var error);
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                output.WriteLine($"{type.Name}.{property.Name} ({property.PropertyType.Name}): body {body.Length / 1024} KiB, decoded {ok} {error}, allocated {allocated / (1024 * 1024.0):0.0} MiB");
                Assert.True(body.Length <= PacketCodec.MaxBodyBytes, $"{type.Name}.{property.Name}: test body too large");
                Assert.True(ok, $"{type.Name}.{property.Name}: {error}");
                DecodeChecks.Allocation(allocated);
            }
        }

        Assert.NotEmpty(done);
    }

    [Fact]
    public void TryDecode_ReturnsWithinTheTimeAndMemoryBounds_WhenBodiesOfEveryTypeFillTheLimit()
    {
        // The worst bodies under the size limit (4 M nils, a 700 k-entry map, 4 M nested arrays, a 4 MiB string)
        // under the header of every registered type; too costly for the random run, so each is decoded once here.
        var bodies = PacketCaseGenerator.BigBodies();
        var slowest = TimeSpan.Zero;
        var most = 0L;
        var failures = new List<string>();
        foreach (var (code, _) in PacketRegistry.All.OrderBy(kv => (int)kv.Key))
        {
            var header = PacketCodec.EncodeHeader(new PacketHeader(ProtocolVersion.Current, code, Guid.NewGuid(), null, "fuzz", 1, 1));
            for (var i = 0; i < bodies.Length; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var ok = PacketCodec.TryDecode(header, bodies[i], out _, out var packet, out var error);
                var elapsed = watch.Elapsed;
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                slowest = elapsed > slowest ? elapsed : slowest;
                most = Math.Max(most, allocated);
                if (!ok)
                {
                    DecodeChecks.Refused(error, packet);
                }

                if (elapsed > s_limit || allocated > DecodeChecks.MaxAllocatedBytes)
                {
                    failures.Add($"{code} with big body #{i}: {elapsed.TotalMilliseconds:0} ms, {allocated / (1024 * 1024.0):0.0} MiB, ok={ok} {error}");
                }
            }
        }

        output.WriteLine($"big bodies: {PacketRegistry.All.Count * bodies.Length} decodes, slowest {slowest.TotalMilliseconds:0} ms, most allocated {most / (1024 * 1024.0):0.0} MiB");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Generate_GivesTheSameInput_WhenReplayedWithTheSameCaseSeed()
    {
        for (var i = 0; i < 200; i++)
        {
            var seed = FuzzSeed.For(PacketBaseSeed, i);
            var a = PacketCaseGenerator.Generate(seed);
            var b = PacketCaseGenerator.Generate(seed);
            Assert.Equal(a.Describe(), b.Describe());
            Assert.Equal(MultipartCaseGenerator.Generate(seed).Describe(), MultipartCaseGenerator.Generate(seed).Describe());
        }
    }

    private static object? BigValue(Type type, int budget)
    {
        if (type == typeof(string))
        {
            return new string('s', budget - 16);
        }

        if (type == typeof(string[]))
        {
            return Enumerable.Range(0, budget / 2).Select(_ => "").ToArray(); // 1 byte each: the most elements per byte
        }

        if (type == typeof(long[]))
        {
            return Enumerable.Range(0, budget).Select(i => (long)(i % 100)).ToArray();
        }

        if (type == typeof(byte[][]))
        {
            return Enumerable.Range(0, budget / 2).Select(_ => Array.Empty<byte>()).ToArray(); // 2 bytes each
        }

        if (type == typeof(Dictionary<string, string>))
        {
            // 5-byte distinct keys with empty values: the most entries per byte.
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; map.Count < budget / 8; i++)
            {
                map[Convert.ToString(i, 16).PadLeft(4, '0')] = "";
            }

            return map;
        }

        return null;
    }
}
