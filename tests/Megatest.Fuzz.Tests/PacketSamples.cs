using Megatest.Protocol;

namespace Megatest.Fuzz.Tests;

/// <summary>A pool of valid packets: several random instances of every registered type (PacketRegistry.All).</summary>
public static class PacketSamples
{
    /// <summary>Instances built per type.</summary>
    public const int PerType = 6;

    private static readonly Lazy<IReadOnlyList<PacketSample>> s_pool = new(() => Build(20261128));

    /// <summary>The shared pool (built once from a fixed seed).</summary>
    public static IReadOnlyList<PacketSample> Pool => s_pool.Value;

    /// <summary>Builds a pool from <paramref name="seed"/>; each sample is checked to decode back to an equal header and a packet of its type.</summary>
    public static IReadOnlyList<PacketSample> Build(int seed)
    {
        var rng = new Random(seed);
        var samples = new List<PacketSample>();
        foreach (var (code, type) in PacketRegistry.All.OrderBy(kv => (int)kv.Key))
        {
            for (var i = 0; i < PerType; i++)
            {
                var packet = (IPacket)PacketValueFactory.Create(type, rng);
                var guid = new byte[16];
                rng.NextBytes(guid);
                Guid? corr = null;
                if (i % 2 == 1)
                {
                    var c = new byte[16];
                    rng.NextBytes(c);
                    corr = new Guid(c);
                }

                var header = new PacketHeader(ProtocolVersion.Current, code, new Guid(guid), corr, "fuzz@host" + i, rng.NextInt64(1, long.MaxValue), rng.NextInt64(0, long.MaxValue));
                var headerFrame = PacketCodec.EncodeHeader(header);
                var bodyFrame = PacketCodec.EncodeBody(packet);
                if (!PacketCodec.TryDecode(headerFrame, bodyFrame, out var decodedHeader, out var decoded, out var error))
                {
                    throw new InvalidOperationException($"valid {type.Name} does not decode: {error}");
                }

                if (decodedHeader != header || decoded!.GetType() != type)
                {
                    throw new InvalidOperationException($"valid {type.Name} decodes to something else");
                }

                samples.Add(new PacketSample(code, header, headerFrame, bodyFrame, MsgPackScanner.Scan(headerFrame), MsgPackScanner.Scan(bodyFrame)));
            }
        }

        return samples;
    }
}
