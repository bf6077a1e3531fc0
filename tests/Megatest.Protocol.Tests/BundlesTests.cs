using Megatest.Protocol.Transport;

namespace Megatest.Protocol.Tests;

/// <summary>Status packets packed into bundles and read back out: the entries are the packets as they would go alone.</summary>
public sealed class BundlesTests
{
    private readonly PacketStamp _stamp = new("agent@test");

    private (PacketHeader Header, IPacket Packet) Next(IPacket packet) => (_stamp.Next(packet.Code), packet);

    private static StatusChange Change(long testId) => new() { TestId = testId, State = "COMPLETED", Status = "PASS", Comment = "ü " + testId };

    [Fact]
    public void Pack_ThenUnpack_GivesEveryEntryWithItsOwnHeaderAndBody_InOrder()
    {
        var packets = new List<(PacketHeader Header, IPacket Packet)>
        {
            Next(Change(1)),
            Next(new Step { TestId = 1, StepName = "s1", State = "end", Status = "0" }),
            Next(new TestData { TestId = 1, Rows = [new TestDataItem { Category = "c", Variable = "v", Value = "1" }] }),
            Next(new TestMetaUpdate { TestName = "t1", Author = "me" }),
            Next(Change(2)),
        };

        var packed = Bundles.Pack(packets).ToList();

        var (bundle, entries) = Assert.Single(packed);
        Assert.NotNull(bundle);
        Assert.Equal(packets, entries);
        var envelope = new ReceivedPacket([1, 2], _stamp.Next(PacketCode.Bundle), Decode(bundle));
        var unpacked = Bundles.Unpack(envelope, (Bundle)envelope.Packet, out var errors);
        Assert.All(errors, e => Assert.Equal("", e));
        Assert.Equal(packets.Count, unpacked.Length);
        for (var i = 0; i < packets.Count; i++)
        {
            Assert.Equal(packets[i].Header, unpacked[i]!.Header);
            Assert.Equal(PacketCodec.EncodeBody(packets[i].Packet), PacketCodec.EncodeBody(unpacked[i]!.Packet));
            Assert.Same(envelope.Routing, unpacked[i]!.Routing);
        }
    }

    [Fact]
    public void Pack_SplitsAtTheEntryLimit_AndSendsALoneRemainderAlone()
    {
        var packets = Enumerable.Range(0, 2 * Bundles.MaxEntries + 1).Select(i => Next(Change(i))).ToList();

        var packed = Bundles.Pack(packets).ToList();

        Assert.Equal([Bundles.MaxEntries, Bundles.MaxEntries, 1], packed.Select(p => p.Entries.Length));
        Assert.NotNull(packed[0].Bundle);
        Assert.NotNull(packed[1].Bundle);
        Assert.Null(packed[2].Bundle);
        Assert.Equal(packets, packed.SelectMany(p => p.Entries));
    }

    [Fact]
    public void Pack_SplitsAtTheByteLimit()
    {
        // Each entry about 200 KiB: five fit in 1 MiB, the sixth starts a new bundle.
        var big = new string('x', 200 * 1024);
        var packets = Enumerable.Range(0, 7).Select(i => Next(Change(i) with { Comment = big })).ToList();

        var packed = Bundles.Pack(packets).ToList();

        Assert.Equal([5, 2], packed.Select(p => p.Entries.Length));
        Assert.All(packed, p => Assert.True(p.Bundle!.Headers.Sum(h => h.Length) + p.Bundle.Bodies.Sum(b => b.Length) <= Bundles.MaxBytes));
        Assert.All(packed, p => Assert.True(PacketCodec.EncodeBody(p.Bundle!).Length < PacketCodec.MaxBodyBytes));
    }

    [Fact]
    public void Pack_SendsPacketsABundleDoesNotCarryAlone_KeepingTheOrder()
    {
        var packets = new List<(PacketHeader Header, IPacket Packet)>
        {
            Next(Change(1)),
            Next(Change(2)),
            Next(new UpdateRun { RunId = 3, State = "COMPLETED" }),
            Next(Change(4)),
        };

        var packed = Bundles.Pack(packets).ToList();

        Assert.Equal([2, 1, 1], packed.Select(p => p.Entries.Length));
        Assert.NotNull(packed[0].Bundle);
        Assert.Null(packed[1].Bundle);
        Assert.IsType<UpdateRun>(packed[1].Entries[0].Packet);
        Assert.Null(packed[2].Bundle);
        Assert.Equal(packets, packed.SelectMany(p => p.Entries));
    }

    [Fact]
    public void Unpack_RefusesEntriesThatDoNotDecodeOrAreNotStatusPackets_AndKeepsTheRest()
    {
        var good = Next(Change(1));
        var control = Next(new KillRequest());
        var bundle = new Bundle
        {
            Headers = [PacketCodec.EncodeHeader(good.Header), [0xc1], PacketCodec.EncodeHeader(control.Header)],
            Bodies = [PacketCodec.EncodeBody(good.Packet), PacketCodec.EncodeBody(good.Packet), PacketCodec.EncodeBody(control.Packet)],
        };

        var unpacked = Bundles.Unpack(new ReceivedPacket(null, _stamp.Next(PacketCode.Bundle), bundle), bundle, out var errors);

        Assert.Equal(good.Header, unpacked[0]!.Header);
        Assert.Equal("", errors[0]);
        Assert.Null(unpacked[1]);
        Assert.StartsWith("bundle entry 1: header", errors[1], StringComparison.Ordinal);
        Assert.Null(unpacked[2]);
        Assert.Contains("not KillRequest", errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Unpack_ABundleWithMoreHeadersThanBodies_RefusesEveryEntry()
    {
        var good = Next(Change(1));
        var bundle = new Bundle { Headers = [PacketCodec.EncodeHeader(good.Header), PacketCodec.EncodeHeader(good.Header)], Bodies = [PacketCodec.EncodeBody(good.Packet)] };

        var unpacked = Bundles.Unpack(new ReceivedPacket(null, _stamp.Next(PacketCode.Bundle), bundle), bundle, out var errors);

        Assert.All(unpacked, Assert.Null);
        Assert.All(errors, e => Assert.Equal("bundle: 2 headers but 1 bodies", e));
    }

    [Fact]
    public void Unpack_NilListsAndNilFrames_AreRefusedEntriesNotCrashes()
    {
        var good = Next(Change(1));
        var withNil = new Bundle { Headers = [PacketCodec.EncodeHeader(good.Header), null!], Bodies = [PacketCodec.EncodeBody(good.Packet), PacketCodec.EncodeBody(good.Packet)] };
        var envelope = new ReceivedPacket(null, _stamp.Next(PacketCode.Bundle), withNil);

        var unpacked = Bundles.Unpack(envelope, withNil, out var errors);

        Assert.NotNull(unpacked[0]);
        Assert.Null(unpacked[1]);
        Assert.Equal("bundle entry 1: nil instead of a frame", errors[1]);
        Assert.Empty(Bundles.Unpack(envelope, new Bundle { Headers = null!, Bodies = null! }, out errors));
        Assert.All(Bundles.Unpack(envelope, new Bundle { Headers = [PacketCodec.EncodeHeader(good.Header)], Bodies = null! }, out errors), Assert.Null);
        Assert.Equal("bundle: 1 headers but 0 bodies", Assert.Single(errors));
    }

    private static Bundle Decode(Bundle bundle)
    {
        Assert.True(PacketCodec.TryDecodeBody(PacketCode.Bundle, PacketCodec.EncodeBody(bundle), out var packet, out var error), error?.ToString());
        return Assert.IsType<Bundle>(packet);
    }
}
