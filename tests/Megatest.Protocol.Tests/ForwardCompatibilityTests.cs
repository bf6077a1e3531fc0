namespace Megatest.Protocol.Tests;

/// <summary>Readers of this version must accept what later (and earlier) writers of the same version send.</summary>
public sealed class ForwardCompatibilityTests
{
    [Theory]
    [MemberData(nameof(GoldenFiles.Names), MemberType = typeof(GoldenFiles))]
    public void Body_Decodes_WhenItHasExtraTrailingElements(string name)
    {
        var expected = GoldenFiles.Expected(GoldenFiles.TypeNamed(name));
        var longer = Frames.WithTrailingElements(expected.Body, 3);

        var ok = PacketCodec.TryDecode(expected.Header, longer, out _, out var packet, out var error);

        Assert.True(ok, error?.ToString());
        Assert.Equal(expected.Body, PacketCodec.EncodeBody(packet!));
    }

    [Fact]
    public void Body_Decodes_WhenATrailingElementIsNestedVeryDeeply()
    {
        var body = new List<byte>(PacketCodec.EncodeBody(new Ack { Ok = true, Error = "x" }));
        body[0] = 0x93; // three elements: the two of Ack and one nested 200,000 arrays deep
        body.AddRange(Enumerable.Repeat((byte)0x91, 200_000));
        body.Add(0xc0);

        var ok = PacketCodec.TryDecodeBody(PacketCode.Ack, body.ToArray(), out var packet, out var error);

        Assert.True(ok, error?.ToString());
        Assert.Equal(new Ack { Ok = true, Error = "x" }, packet);
    }

    [Fact]
    public void Body_DecodesWithDefaults_WhenAnOlderWriterSentFewerKeys()
    {
        var example = (RunRequest)GoldenExamples.Body(typeof(RunRequest));
        var shorter = Frames.WithFirstElements(PacketCodec.EncodeBody(example), 9);

        var ok = PacketCodec.TryDecodeBody(PacketCode.RunRequest, shorter, out var packet, out var error);

        Assert.True(ok, error?.ToString());
        var request = Assert.IsType<RunRequest>(packet);
        Assert.Equal(example.ModePatt, request.ModePatt);
        Assert.Empty(request.SetVars);
        Assert.Equal("", request.Owner);
        Assert.False(request.RequireTargetSection);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20)]
    public void Header_Decodes_WhenItHasMoreThanSevenElements(int extra)
    {
        var frame = Frames.Header(ProtocolVersion.Current, (ushort)PacketCode.Ack, extra);

        var ok = PacketCodec.TryDecodeHeader(frame, out var header, out var error);

        Assert.True(ok, error?.ToString());
        Assert.Equal(new PacketHeader(ProtocolVersion.Current, PacketCode.Ack, GoldenExamples.MessageId, null, GoldenExamples.SenderId, GoldenExamples.Sequence, GoldenExamples.SentAtUnixMs), header);
    }

    [Fact]
    public void Header_WithExtraElements_StillLetsTheBodyDecode()
    {
        var header = Frames.Header(ProtocolVersion.Current, (ushort)PacketCode.ControlAck, 2);
        var body = PacketCodec.EncodeBody(new ControlAck { Accepted = true, Reason = "ok", RunId = 7 });

        var ok = PacketCodec.TryDecode(header, body, out _, out var packet, out var error);

        Assert.True(ok, error?.ToString());
        Assert.Equal(new ControlAck { Accepted = true, Reason = "ok", RunId = 7 }, packet);
    }
}
