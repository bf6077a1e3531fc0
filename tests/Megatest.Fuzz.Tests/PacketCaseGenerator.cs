using Megatest.Protocol;

namespace Megatest.Fuzz.Tests;

/// <summary>
/// Makes the packet fuzz input of a case seed: purely random frames, random bodies under valid headers, packet-code
/// and version swaps, mutations of valid packets of every registered type, and a few very large frames.
/// </summary>
public static class PacketCaseGenerator
{
    private static readonly PacketCode[] s_codes = PacketRegistry.All.Keys.OrderBy(c => (int)c).ToArray();
    private static readonly Lazy<byte[][]> s_cheapBigBodies = new(() => [.. BigBodies().Where(b => b.Length < 1024 || b.Length > PacketCodec.MaxBodyBytes)]);

    /// <summary>The input of case seed <paramref name="caseSeed"/>.</summary>
    public static PacketInput Generate(int caseSeed)
    {
        var rng = new Random(caseSeed);
        var pool = PacketSamples.Pool;
        var sample = pool[rng.Next(pool.Count)];
        var other = pool[rng.Next(pool.Count)];
        var roll = rng.Next(1000);
        var log = new List<string>();
        if (roll < 100)
        {
            return new PacketInput(RandomFrame(rng, rng.Next(8) == 0 ? 1100 : 80), RandomFrame(rng, 600), "random header + random body");
        }

        if (roll < 200)
        {
            return new PacketInput(sample.HeaderFrame, RandomFrame(rng, 600), $"valid {sample.Code} header + random body");
        }

        if (roll < 240)
        {
            return new PacketInput(RandomFrame(rng, 80), sample.BodyFrame, $"random header + valid {sample.Code} body");
        }

        if (roll < 320)
        {
            var (header, what) = SwapCode(sample.Header, rng);
            var body = rng.Next(2) == 0 ? sample.BodyFrame : FrameMutator.Mutate(sample.BodyFrame, other.BodyFrame, rng, log);
            return new PacketInput(header, body, $"{sample.Code} body under {what} {string.Join(',', log)}");
        }

        if (roll < 322)
        {
            var big = s_cheapBigBodies.Value;
            var index = rng.Next(big.Length);
            return new PacketInput(sample.HeaderFrame, big[index], $"valid {sample.Code} header + oversized or lying body #{index}");
        }

        var target = rng.Next(10);
        var headerFrame = target < 2 ? FrameMutator.Mutate(sample.HeaderFrame, other.HeaderFrame, rng, log) : sample.HeaderFrame;
        if (target == 0)
        {
            log.Add("|");
        }

        var bodyFrame = target != 1 ? FrameMutator.Mutate(sample.BodyFrame, other.BodyFrame, rng, log) : sample.BodyFrame;
        return new PacketInput(headerFrame, bodyFrame, $"mutated {sample.Code} ({(target == 1 ? "header" : target == 0 ? "both" : "body")}): {string.Join(',', log)}");
    }

    /// <summary>The header of <paramref name="header"/> with another code, a random code or another version.</summary>
    private static (byte[] Frame, string What) SwapCode(PacketHeader header, Random rng)
    {
        switch (rng.Next(4))
        {
            case 0:
            case 1:
            {
                var code = s_codes[rng.Next(s_codes.Length)];
                return (PacketCodec.EncodeHeader(header with { Code = code }), $"header code {code}");
            }

            case 2:
            {
                var code = (PacketCode)rng.Next(ushort.MaxValue + 1);
                return (PacketCodec.EncodeHeader(header with { Code = code }), $"header code {(int)code}");
            }

            default:
            {
                var version = rng.Next(3) switch { 0 => ProtocolVersion.Current + 1, 1 => 0, _ => rng.Next(int.MinValue, int.MaxValue) };
                return (PacketCodec.EncodeHeader(header with { Version = version }), $"header version {version}");
            }
        }
    }

    private static byte[] RandomFrame(Random rng, int maxLength)
    {
        var length = rng.Next(maxLength + 1);
        var frame = new byte[length];
        if (rng.Next(2) == 0)
        {
            rng.NextBytes(frame);
        }
        else
        {
            // MessagePack-looking noise: mostly small type bytes with a few lengths.
            for (var i = 0; i < frame.Length; i++)
            {
                frame[i] = rng.Next(3) switch
                {
                    0 => (byte)rng.Next(0x80, 0xa0),
                    1 => (byte)rng.Next(0xc0, 0xe0),
                    _ => (byte)rng.Next(0xa0, 0xc0),
                };
            }
        }

        return frame;
    }

    /// <summary>
    /// Bodies at and just past the size limit: one byte over, and the worst cases under it (4 M nils, a map of
    /// 700 k entries, 4 M nested arrays, a 4 MiB string, a lying array32 count).
    /// </summary>
    public static byte[][] BigBodies()
    {
        var limit = PacketCodec.MaxBodyBytes;

        // 0: one byte over the limit.
        var over = new byte[limit + 1];
        over[0] = 0x91;

        // 1: array(1) holding array32 of nils filling the limit (a 4 M-element array).
        var nils = new byte[limit];
        nils[0] = 0x91;
        nils[1] = 0xdd;
        WriteUInt32(nils, 2, (uint)(limit - 6));
        Array.Fill(nils, (byte)0xc0, 6, limit - 6);

        // 2: array(1) holding map32 of distinct 4-char keys with empty values, filling the limit.
        const int entryBytes = 6;
        var entries = (limit - 6) / entryBytes;
        var map = new byte[6 + (entries * entryBytes)];
        map[0] = 0x91;
        map[1] = 0xdf;
        WriteUInt32(map, 2, (uint)entries);
        for (var i = 0; i < entries; i++)
        {
            var at = 6 + (i * entryBytes);
            map[at] = 0xa4;
            map[at + 1] = (byte)(0x21 + (i % 90));
            map[at + 2] = (byte)(0x21 + (i / 90 % 90));
            map[at + 3] = (byte)(0x21 + (i / 8100 % 90));
            map[at + 4] = (byte)(0x21 + (i / 729000 % 90));
            map[at + 5] = 0xa0;
        }

        // 3: arrays nested to the limit.
        var nested = new byte[limit];
        Array.Fill(nested, (byte)0x91);
        nested[^1] = 0xc0;

        // 4: array(1) holding a str32 filling the limit.
        var str = new byte[limit];
        str[0] = 0x91;
        str[1] = 0xdb;
        WriteUInt32(str, 2, (uint)(limit - 6));
        Array.Fill(str, (byte)'a', 6, limit - 6);

        // 5: array32 of int.MaxValue elements in a few bytes.
        byte[] lying = [0xdd, 0x7f, 0xff, 0xff, 0xff, 0xc0, 0xc0];

        return [over, nils, map, nested, str, lying];
    }

    private static void WriteUInt32(byte[] data, int at, uint value)
    {
        data[at] = (byte)(value >> 24);
        data[at + 1] = (byte)(value >> 16);
        data[at + 2] = (byte)(value >> 8);
        data[at + 3] = (byte)value;
    }
}
