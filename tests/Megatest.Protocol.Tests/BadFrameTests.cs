using MessagePack;

namespace Megatest.Protocol.Tests;

/// <summary>Whatever arrives, decoding answers false with a DecodeError naming the field, and never throws.</summary>
public sealed class BadFrameTests
{
    private static readonly string[] s_fields = ["header", "header.version", "header.code", "body"];

    private static GoldenFile RunRequestFrames => GoldenFiles.Expected(typeof(RunRequest));

    [Fact]
    public void TryDecode_FailsOnHeader_WhenHeaderIsEmpty()
    {
        var error = Fails([], RunRequestFrames.Body);

        Assert.Equal("header", error.Field);
        Assert.Contains("got 0", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_FailsOnHeader_WhenHeaderIsLargerThanTheLimit()
    {
        var error = Fails(new byte[PacketCodec.MaxHeaderBytes + 1], RunRequestFrames.Body);

        Assert.Equal("header", error.Field);
    }

    [Theory]
    [InlineData("map")]
    [InlineData("int")]
    [InlineData("str")]
    [InlineData("nil")]
    public void TryDecode_FailsOnHeader_WhenHeaderIsNotAnArray(string kind)
    {
        byte[] frame = kind switch
        {
            "map" => MessagePackSerializer.Serialize(new Dictionary<int, int> { [0] = 1 }),
            "int" => MessagePackSerializer.Serialize(1),
            "str" => MessagePackSerializer.Serialize("header"),
            _ => MessagePackSerializer.Serialize<string?>(null),
        };

        var error = Fails(frame, RunRequestFrames.Body);

        Assert.Equal("header", error.Field);
        Assert.Contains("expected a MessagePack array", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_FailsOnHeader_WhenHeaderHasFewerThanSevenElements()
    {
        var error = Fails(MessagePackSerializer.Serialize(new object[] { 1, 900, new byte[16], null!, "x", 1L }), RunRequestFrames.Body);

        Assert.Equal("header", error.Field);
        Assert.Contains("7 elements, got 6", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ProtocolVersion.Current + 1)]
    [InlineData(-1)]
    public void TryDecode_FailsOnVersion_NamingTheSupportedVersions(int version)
    {
        var error = Fails(Frames.Header(version, (ushort)PacketCode.RunRequest), RunRequestFrames.Body);

        Assert.Equal("header.version", error.Field);
        Assert.Contains($"protocol version {version} is not supported", error.Reason, StringComparison.Ordinal);
        Assert.Contains($"{ProtocolVersion.MinSupported}..{ProtocolVersion.Current}", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(107)]
    [InlineData(999)]
    [InlineData(ushort.MaxValue)]
    public void TryDecode_FailsOnCode_WhenCodeIsUnknown(int code)
    {
        var error = Fails(Frames.Header(ProtocolVersion.Current, (ushort)code), RunRequestFrames.Body);

        Assert.Equal("header.code", error.Field);
        Assert.Equal($"unknown packet code {code}", error.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    public void TryDecode_FailsOnHeader_WhenMessageIdIsNotSixteenBytes(int length)
    {
        var frame = length <= 16
            ? Frames.Header(ProtocolVersion.Current, (ushort)PacketCode.Ack, messageIdLength: length)
            : MessagePackSerializer.Serialize(new object?[] { 1, 200, new byte[length], null, "x", 1L, 2L });

        var error = Fails(frame, PacketCodec.EncodeBody(new Ack()));

        Assert.Equal("header", error.Field);
        Assert.Contains("messageId", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_FailsOnHeader_WhenHeaderIsTruncated()
    {
        var header = RunRequestFrames.Header;
        for (var length = 1; length < header.Length; length++)
        {
            var error = Fails(header[..length], RunRequestFrames.Body);
            Assert.Equal("header", error.Field);
        }
    }

    [Fact]
    public void TryDecode_FailsOnBody_WhenBodyIsTruncated()
    {
        var frames = RunRequestFrames;
        for (var length = 0; length < frames.Body.Length; length++)
        {
            var error = Fails(frames.Header, frames.Body[..length]);
            Assert.Equal("body", error.Field);
            Assert.Contains("RunRequest (900)", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryDecode_FailsOnBody_WhenBodyIsAnotherPacket()
    {
        var error = Fails(RunRequestFrames.Header, PacketCodec.EncodeBody(new Ack { Ok = true, Error = "x" }));

        Assert.Equal("body", error.Field);
        Assert.StartsWith("expected a RunRequest (900)", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("str")]
    [InlineData("map")]
    [InlineData("int")]
    [InlineData("bin")]
    public void TryDecode_FailsOnBody_WhenBodyIsNotAnArray(string kind)
    {
        byte[] body = kind switch
        {
            "str" => MessagePackSerializer.Serialize("RunRequest"),
            "map" => MessagePackSerializer.Serialize(new Dictionary<string, string> { ["Target"] = "a/b" }),
            "int" => MessagePackSerializer.Serialize(900),
            _ => MessagePackSerializer.Serialize(new byte[] { 1, 2, 3 }),
        };

        var error = Fails(RunRequestFrames.Header, body);

        Assert.Equal("body", error.Field);
        Assert.StartsWith("expected a RunRequest (900)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_FailsOnBody_WhenBodyIsNil()
    {
        var error = Fails(RunRequestFrames.Header, [0xc0]);

        Assert.Equal("body", error.Field);
        Assert.Equal("expected a RunRequest, got nil", error.Reason);
    }

    [Fact]
    public void TryDecode_FailsOnBody_WhenAFieldHasTheWrongType()
    {
        // RunRequest key 4 (Force) must be a bool; here it is a string.
        var body = MessagePackSerializer.Serialize(new object[] { "a/b", "run", "%", Array.Empty<string>(), "yes" });

        var error = Fails(RunRequestFrames.Header, body);

        Assert.Equal("body", error.Field);
    }

    [Fact]
    public void TryDecodeBody_FailsBeforeReading_WhenBodyExceedsMaxBodyBytes()
    {
        var ok = PacketCodec.TryDecodeBody(PacketCode.Ack, new byte[PacketCodec.MaxBodyBytes + 1], out var packet, out var error);

        Assert.False(ok);
        Assert.Null(packet);
        Assert.Equal("body", error!.Field);
        Assert.Contains($"limit of {PacketCodec.MaxBodyBytes}", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_NeverThrows_OnTenThousandRandomFramePairs()
    {
        var random = new Random(20260101);
        var failures = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var header = new byte[random.Next(0, 64)];
            random.NextBytes(header);
            var body = new byte[random.Next(0, 64)];
            random.NextBytes(body);

            failures += DecodeRandom(header, body, $"random pair {i}") ? 0 : 1;
        }

        Assert.True(failures > 9_900, $"only {failures} of 10000 random frame pairs were refused");
    }

    [Fact]
    public void TryDecodeBody_NeverThrows_OnTenThousandRandomBodiesOfEveryCode()
    {
        var random = new Random(4711);
        var codes = PacketRegistry.All.Keys.OrderBy(c => c).ToArray();
        var failures = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var code = codes[random.Next(codes.Length)];
            var body = new byte[random.Next(0, 128)];
            random.NextBytes(body);
            if (random.Next(2) == 0 && body.Length > 0)
            {
                body[0] = (byte)(0x90 | random.Next(16)); // make most of them look like a fixarray
            }

            failures += DecodeRandom(PacketCodec.EncodeHeader(GoldenExamples.Header(code)), body, $"random body {i} for {code}") ? 0 : 1;
        }

        Assert.True(failures > 5_000, $"only {failures} of 10000 random bodies were refused");
    }

    [Fact]
    public void TryDecode_NeverThrows_OnTenThousandMutatedGoldenFrames()
    {
        var random = new Random(1234);
        var golden = PacketRegistry.All.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(GoldenFiles.Expected).ToArray();
        for (var i = 0; i < 10_000; i++)
        {
            var frames = golden[random.Next(golden.Length)];
            var header = (byte[])frames.Header.Clone();
            var body = (byte[])frames.Body.Clone();
            var target = random.Next(4) == 0 ? header : body;
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                target[random.Next(target.Length)] = (byte)random.Next(256);
            }

            DecodeRandom(header, body, $"mutation {i}");
        }
    }

    private static bool DecodeRandom(byte[] header, byte[] body, string what)
    {
        bool ok;
        PacketHeader? decodedHeader;
        IPacket? packet;
        DecodeError? error;
        try
        {
            ok = PacketCodec.TryDecode(header, body, out decodedHeader, out packet, out error);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what} threw {ex.GetType().Name}: {ex.Message}\nheader {Convert.ToHexString(header)}\nbody {Convert.ToHexString(body)}");
            throw;
        }

        if (ok)
        {
            Assert.NotNull(decodedHeader);
            Assert.NotNull(packet);
            Assert.Null(error);
        }
        else
        {
            Assert.NotNull(error);
            Assert.Contains(error.Field, s_fields);
            Assert.False(string.IsNullOrWhiteSpace(error.Reason), what);
            Assert.Null(packet);
        }

        return ok;
    }

    private static DecodeError Fails(byte[] header, byte[] body)
    {
        var ok = PacketCodec.TryDecode(header, body, out _, out var packet, out var error);

        Assert.False(ok);
        Assert.Null(packet);
        Assert.NotNull(error);
        return error;
    }
}
