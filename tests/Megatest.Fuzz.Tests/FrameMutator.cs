using System.Buffers.Binary;

namespace Megatest.Fuzz.Tests;

/// <summary>Byte-level and MessagePack-aware mutations of one frame.</summary>
public static class FrameMutator
{
    private static readonly byte[] s_interesting =
    [
        0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc6, 0xc7, 0xc9, 0xca, 0xcb,
        0xcf, 0xd3, 0xd4, 0xd8, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
    ];

    private static readonly byte[][] s_hugeHeaders =
    [
        [0xdd, 0xff, 0xff, 0xff, 0xff], // array32 of 4 294 967 295
        [0xdd, 0x7f, 0xff, 0xff, 0xff], // array32 of int.MaxValue
        [0xdf, 0x7f, 0xff, 0xff, 0xff], // map32
        [0xdb, 0x7f, 0xff, 0xff, 0xff], // str32
        [0xdb, 0xff, 0xff, 0xff, 0xff],
        [0xc6, 0x7f, 0xff, 0xff, 0xff], // bin32
        [0xc9, 0x7f, 0xff, 0xff, 0xff, 0x01], // ext32
        [0xdc, 0xff, 0xff], // array16
        [0xde, 0xff, 0xff], // map16
        [0xda, 0xff, 0xff], // str16
    ];

    /// <summary>Applies 1..4 mutations to a copy of <paramref name="frame"/>; <paramref name="other"/> is a second valid frame for splicing.</summary>
    public static byte[] Mutate(byte[] frame, byte[] other, Random rng, List<string> log)
    {
        var data = new List<byte>(frame);
        var rounds = 1 + (rng.Next(8) == 0 ? rng.Next(8) : rng.Next(3));
        for (var r = 0; r < rounds; r++)
        {
            MutateOnce(data, other, rng, log);
        }

        return data.ToArray();
    }

    private static void MutateOnce(List<byte> data, byte[] other, Random rng, List<string> log)
    {
        var tokens = MsgPackScanner.Scan(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(data));
        var op = rng.Next(13);
        if (data.Count == 0 && op is not (3 or 9 or 10))
        {
            op = 3;
        }

        switch (op)
        {
            case 0:
            {
                var flips = rng.Next(1, 9);
                for (var i = 0; i < flips; i++)
                {
                    var at = rng.Next(data.Count);
                    data[at] ^= (byte)(1 << rng.Next(8));
                }

                log.Add($"flip{flips}");
                break;
            }

            case 1:
            {
                var at = rng.Next(data.Count);
                data[at] = s_interesting[rng.Next(s_interesting.Length)];
                log.Add($"set@{at}");
                break;
            }

            case 2:
            {
                var at = rng.Next(data.Count);
                data.RemoveRange(at, data.Count - at);
                log.Add($"truncate@{at}");
                break;
            }

            case 3:
            {
                var n = rng.Next(1, 17);
                var bytes = new byte[n];
                rng.NextBytes(bytes);
                var at = rng.Next(data.Count + 1);
                data.InsertRange(at, bytes);
                log.Add($"insert{n}@{at}");
                break;
            }

            case 4:
            {
                var (start, length) = Span(data.Count, rng);
                var copy = data.GetRange(start, length);
                var at = rng.Next(data.Count + 1);
                var times = rng.Next(4) == 0 ? rng.Next(2, 64) : 1;
                for (var i = 0; i < times; i++)
                {
                    data.InsertRange(at, copy);
                }

                log.Add($"dup{length}x{times}@{at}");
                break;
            }

            case 5:
            {
                var (start, length) = Span(data.Count, rng);
                data.RemoveRange(start, length);
                log.Add($"delete{length}@{start}");
                break;
            }

            case 6 or 7 when tokens.Count > 0:
            {
                var lengthTokens = tokens.Where(t => t.IsContainer || t.IsString).ToList();
                if (lengthTokens.Count == 0)
                {
                    goto case 0;
                }

                var t = lengthTokens[rng.Next(lengthTokens.Count)];
                ChangeLength(data, t, rng);
                log.Add($"length@{t.Offset}");
                break;
            }

            case 8 when tokens.Count > 0:
            {
                var t = tokens[rng.Next(tokens.Count)];
                data[t.Offset] = s_interesting[rng.Next(s_interesting.Length)];
                log.Add($"type@{t.Offset}");
                break;
            }

            case 9:
            {
                var huge = s_hugeHeaders[rng.Next(s_hugeHeaders.Length)];
                if (tokens.Count > 0 && rng.Next(3) != 0)
                {
                    var t = tokens[rng.Next(tokens.Count)];
                    data.RemoveRange(t.Offset, Math.Min(t.HeaderLength, data.Count - t.Offset));
                    data.InsertRange(t.Offset, huge);
                    log.Add($"huge@{t.Offset}");
                }
                else
                {
                    data.InsertRange(rng.Next(data.Count + 1), huge);
                    log.Add("huge-insert");
                }

                break;
            }

            case 10:
            {
                if (other.Length == 0)
                {
                    goto case 3;
                }

                var at = rng.Next(data.Count + 1);
                var from = rng.Next(other.Length);
                data.RemoveRange(at, data.Count - at);
                data.AddRange(other.AsSpan(from).ToArray());
                log.Add($"splice@{at}");
                break;
            }

            case 11:
            {
                var depth = rng.Next(2) == 0 ? rng.Next(2, 40) : rng.Next(400, 3000);
                var at = tokens.Count > 0 ? tokens[rng.Next(tokens.Count)].Offset : rng.Next(data.Count + 1);
                var nest = new byte[depth + 1];
                Array.Fill(nest, rng.Next(2) == 0 ? (byte)0x91 : (byte)0x81);
                nest[^1] = 0xc0;
                data.InsertRange(at, nest);
                log.Add($"nest{depth}@{at}");
                break;
            }

            default:
            {
                var (start, length) = Span(data.Count, rng);
                for (var i = start; i < start + length; i++)
                {
                    data[i] = (byte)rng.Next(256);
                }

                log.Add($"scribble{length}@{start}");
                break;
            }
        }
    }

    private static void ChangeLength(List<byte> data, MsgPackToken t, Random rng)
    {
        var b = data[t.Offset];
        if (t.LengthBytes == 0)
        {
            // fixmap 0x80, fixarray 0x90 (4 bits), fixstr 0xa0 (5 bits)
            var mask = b >= 0xa0 ? 0x1f : 0x0f;
            data[t.Offset] = (byte)((b & ~mask) | rng.Next(mask + 1));
            return;
        }

        var end = t.Offset + 1 + t.LengthBytes;
        if (end > data.Count)
        {
            return;
        }

        var current = t.LengthBytes switch
        {
            1 => data[t.Offset + 1],
            2 => (uint)((data[t.Offset + 1] << 8) | data[t.Offset + 2]),
            _ => BinaryPrimitives.ReadUInt32BigEndian(data.GetRange(t.Offset + 1, 4).ToArray()),
        };
        var max = t.LengthBytes switch { 1 => 0xffu, 2 => 0xffffu, _ => 0xffffffffu };
        uint next = rng.Next(6) switch
        {
            0 => 0,
            1 => current + 1,
            2 => current - 1,
            3 => max,
            4 => max / 2,
            _ => (uint)rng.NextInt64(0, (long)max + 1),
        };
        next &= max;
        for (var i = 0; i < t.LengthBytes; i++)
        {
            data[t.Offset + 1 + i] = (byte)(next >> (8 * (t.LengthBytes - 1 - i)));
        }
    }

    private static (int Start, int Length) Span(int count, Random rng)
    {
        if (count == 0)
        {
            return (0, 0);
        }

        var start = rng.Next(count);
        var length = rng.Next(1, Math.Min(count - start, 32) + 1);
        return (start, length);
    }
}
