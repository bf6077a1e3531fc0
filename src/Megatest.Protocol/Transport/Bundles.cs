namespace Megatest.Protocol.Transport;

/// <summary>
/// Packing status packets into a <see cref="Bundle"/> and reading them back out. A bundle is only an envelope: every
/// entry keeps the header it would have alone (its own message id and sequence), so a receiver deduplicates and orders
/// entries exactly as lone packets, and a sender may send an entry again alone, or in another bundle, after a lost answer.
/// </summary>
public static class Bundles
{
    /// <summary>The most entries one bundle carries.</summary>
    public const int MaxEntries = 256;

    /// <summary>The most bytes of entry frames one bundle carries (well below <see cref="PacketCodec.MaxBodyBytes"/>).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Whether <paramref name="code"/> may travel in a bundle: the status packets answered by a plain Ack.</summary>
    public static bool Carries(PacketCode code) =>
        code is PacketCode.StatusChange or PacketCode.Step or PacketCode.TestData or PacketCode.TestMetaUpdate;

    /// <summary>
    /// Splits <paramref name="packets"/> (in order) into bundles of at most <see cref="MaxEntries"/> entries and
    /// <see cref="MaxBytes"/> bytes. Each element is either a bundle with the message ids of its entries, or a lone
    /// packet (<c>Bundle</c> is null) where bundling gains nothing: a single packet, or one that may not be bundled.
    /// </summary>
    public static IEnumerable<(Bundle? Bundle, (PacketHeader Header, IPacket Packet)[] Entries)> Pack(IReadOnlyList<(PacketHeader Header, IPacket Packet)> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        var headers = new List<byte[]>();
        var bodies = new List<byte[]>();
        var entries = new List<(PacketHeader Header, IPacket Packet)>();
        var bytes = 0;
        foreach (var (header, packet) in packets)
        {
            if (!Carries(packet.Code))
            {
                foreach (var done in Close())
                {
                    yield return done;
                }

                yield return (null, [(header, packet)]);
                continue;
            }

            var headerFrame = PacketCodec.EncodeHeader(header);
            var bodyFrame = PacketCodec.EncodeBody(packet);
            if (entries.Count == MaxEntries || (entries.Count > 0 && bytes + headerFrame.Length + bodyFrame.Length > MaxBytes))
            {
                foreach (var done in Close())
                {
                    yield return done;
                }
            }

            headers.Add(headerFrame);
            bodies.Add(bodyFrame);
            entries.Add((header, packet));
            bytes += headerFrame.Length + bodyFrame.Length;
        }

        foreach (var done in Close())
        {
            yield return done;
        }

        IEnumerable<(Bundle?, (PacketHeader, IPacket)[])> Close()
        {
            if (entries.Count == 1)
            {
                yield return (null, [entries[0]]);
            }
            else if (entries.Count > 1)
            {
                yield return (new Bundle { Headers = [.. headers], Bodies = [.. bodies] }, [.. entries]);
            }

            headers.Clear();
            bodies.Clear();
            entries.Clear();
            bytes = 0;
        }
    }

    /// <summary>
    /// The entries of <paramref name="bundle"/>, received as <paramref name="envelope"/>: element i is entry i as a
    /// received packet (routed like the envelope), or null with <paramref name="errors"/>[i] saying why it cannot be
    /// applied (it does not decode, or it is not a packet a bundle may carry). A bundle whose two lists differ in length
    /// gives one error per header.
    /// </summary>
    public static ReceivedPacket?[] Unpack(ReceivedPacket envelope, Bundle bundle, out string[] errors)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(bundle);
        // Nil on the wire (a list, or a frame in one) reads as null: no entries, or an entry that does not decode.
        var headers = bundle.Headers ?? [];
        var bodies = bundle.Bodies ?? [];
        var count = headers.Length;
        var entries = new ReceivedPacket?[count];
        errors = new string[count];
        for (var i = 0; i < count; i++)
        {
            errors[i] = "";
            if (bodies.Length != count)
            {
                errors[i] = $"bundle: {count} headers but {bodies.Length} bodies";
            }
            else if (headers[i] is null || bodies[i] is null)
            {
                errors[i] = $"bundle entry {i}: nil instead of a frame";
            }
            else if (!PacketCodec.TryDecode(headers[i], bodies[i], out var header, out var packet, out var error))
            {
                errors[i] = $"bundle entry {i}: {error}";
            }
            else if (!Carries(header!.Code))
            {
                errors[i] = $"bundle entry {i}: a bundle carries StatusChange, Step, TestData and TestMetaUpdate packets, not {header.Code}";
            }
            else
            {
                entries[i] = new ReceivedPacket(envelope.Routing, header, packet!);
            }
        }

        return entries;
    }
}
