using System.Buffers.Binary;

namespace Megatest.Fuzz.Tests;

/// <summary>Lists the tokens of a MessagePack frame (a flat walk: containers have no payload), so mutations can aim at length fields and type bytes.</summary>
public static class MsgPackScanner
{
    /// <summary>The tokens of <paramref name="data"/>, stopping at the first malformed one.</summary>
    public static IReadOnlyList<MsgPackToken> Scan(ReadOnlySpan<byte> data)
    {
        var tokens = new List<MsgPackToken>();
        var i = 0;
        while (i < data.Length)
        {
            var b = data[i];
            MsgPackToken t;
            if (b <= 0x7f || b >= 0xe0 || b is 0xc0 or 0xc2 or 0xc3)
            {
                t = new MsgPackToken(i, 1, 0, 0, false, false);
            }
            else if (b <= 0x8f || (b >= 0x90 && b <= 0x9f))
            {
                t = new MsgPackToken(i, 1, 0, 0, true, false);
            }
            else if (b <= 0xbf)
            {
                t = new MsgPackToken(i, 1, b & 0x1f, 0, false, true);
            }
            else
            {
                int lengthBytes;
                switch (b)
                {
                    case 0xc4 or 0xd9: lengthBytes = 1; break;
                    case 0xc5 or 0xda or 0xdc or 0xde: lengthBytes = 2; break;
                    case 0xc6 or 0xdb or 0xdd or 0xdf: lengthBytes = 4; break;
                    case 0xca: t = new MsgPackToken(i, 5, 0, 0, false, false); goto add;
                    case 0xcb: t = new MsgPackToken(i, 9, 0, 0, false, false); goto add;
                    case 0xcc or 0xd0: t = new MsgPackToken(i, 2, 0, 0, false, false); goto add;
                    case 0xcd or 0xd1: t = new MsgPackToken(i, 3, 0, 0, false, false); goto add;
                    case 0xce or 0xd2: t = new MsgPackToken(i, 5, 0, 0, false, false); goto add;
                    case 0xcf or 0xd3: t = new MsgPackToken(i, 9, 0, 0, false, false); goto add;
                    default: return tokens; // ext and the never-used byte: not produced by the codec
                }

                if (i + 1 + lengthBytes > data.Length)
                {
                    return tokens;
                }

                var field = data.Slice(i + 1, lengthBytes);
                var length = lengthBytes switch
                {
                    1 => field[0],
                    2 => BinaryPrimitives.ReadUInt16BigEndian(field),
                    _ => (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(field), int.MaxValue),
                };
                var container = b is 0xdc or 0xdd or 0xde or 0xdf;
                t = new MsgPackToken(i, 1 + lengthBytes, container ? 0 : length, lengthBytes, container, !container);
            }

        add:
            tokens.Add(t);
            var next = (long)i + t.HeaderLength + t.PayloadLength;
            if (next > data.Length)
            {
                return tokens;
            }

            i = (int)next;
        }

        return tokens;
    }
}
