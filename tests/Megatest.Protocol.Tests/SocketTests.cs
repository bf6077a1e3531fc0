using System.Text;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Protocol.Tests;

/// <summary>Packets over real loopback TCP sockets, the way the roles talk.</summary>
[Collection(SocketCollection.Name)]
public sealed class SocketTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly RouterSocket _router;
    private readonly DealerSocket _dealer;

    public SocketTests()
    {
        _router = Endpoints.Configure(new RouterSocket());
        var endpoint = Endpoints.Bind(_router, "tcp://127.0.0.1:0");
        _dealer = Endpoints.Configure(new DealerSocket());
        _dealer.Options.Identity = Encoding.UTF8.GetBytes("cli:test");
        _dealer.Connect(endpoint);
    }

    public void Dispose()
    {
        _dealer.Dispose();
        _router.Dispose();
    }

    [Fact]
    public void RouterReceivesDealerPacket_AndDealerReceivesTheCorrelatedReply()
    {
        var client = new PacketStamp("cli@test");
        var server = new PacketStamp("coordinator@test");
        var request = (RunRequest)GoldenExamples.Body(typeof(RunRequest));

        var sent = _dealer.SendPacket(client, request);

        Assert.True(_router.TryReceivePacket(hasRouting: true, s_timeout, out var received, out var error), error?.ToString() ?? "timed out");
        Assert.Equal("cli:test", Encoding.UTF8.GetString(received!.Routing!));
        Assert.Equal(sent, received.Header);
        Assert.Equal(PacketCodec.EncodeBody(request), PacketCodec.EncodeBody(received.Packet));

        var reply = new ControlAck { Accepted = true, Reason = "run 7 a/b/run1: 3 tests", RunId = 7 };
        var replyHeader = _router.SendPacket(server, reply, received.Header.MessageId, received.Routing);

        Assert.True(_dealer.TryReceivePacket(hasRouting: false, s_timeout, out var answer, out error), error?.ToString() ?? "timed out");
        Assert.Null(answer!.Routing);
        Assert.Equal(replyHeader, answer.Header);
        Assert.Equal(sent.MessageId, answer.Header.CorrelationId);
        Assert.Equal(reply, answer.Packet);
    }

    [Fact]
    public void GoldenHeaderAndBody_ArriveUnchanged_OverTcp()
    {
        var golden = GoldenFiles.Expected(typeof(StatusChange));
        _dealer.SendMultipartMessage(new NetMQMessage([golden.Header, golden.Body]));

        NetMQMessage? raw = null;
        Assert.True(_router.TryReceiveMultipartMessage(s_timeout, ref raw));

        Assert.Equal(3, raw!.FrameCount);
        Assert.Equal(golden.Header, raw[1].ToByteArray());
        Assert.Equal(golden.Body, raw[2].ToByteArray());
        Assert.True(PacketSocketExtensions.TryDecode(raw, hasRouting: true, out var received, out var error), error?.ToString());
        Assert.IsType<StatusChange>(received!.Packet);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void TryReceivePacket_ReportsFramesError_WhenFrameCountIsWrong(int frames)
    {
        var golden = GoldenFiles.Expected(typeof(Ack));
        var msg = new NetMQMessage();
        for (var i = 0; i < frames; i++)
        {
            msg.Append(i % 2 == 0 ? golden.Header : golden.Body);
        }

        _dealer.SendMultipartMessage(msg);

        var ok = _router.TryReceivePacket(hasRouting: true, s_timeout, out var received, out var error);

        Assert.False(ok);
        Assert.Null(received);
        Assert.NotNull(error);
        Assert.Equal("frames", error.Field);
        Assert.Equal($"expected 3 frames (routing, header, body), got {frames + 1}", error.Reason);
    }

    [Fact]
    public void TryReceivePacket_ReportsHeaderError_AndKeepsReceiving_WhenAMessageIsMalformed()
    {
        _dealer.SendMultipartMessage(new NetMQMessage([[0xc1], [0x90]]));
        var stamp = new PacketStamp("agent@test");
        _dealer.SendPacket(stamp, new Heartbeat { RunningTestIds = [1, 2], FreeSlots = 3 });

        var first = _router.TryReceivePacket(hasRouting: true, s_timeout, out var bad, out var error);
        var second = _router.TryReceivePacket(hasRouting: true, s_timeout, out var good, out var goodError);

        Assert.False(first);
        Assert.Null(bad);
        Assert.Equal("header", error!.Field);
        Assert.True(second, goodError?.ToString() ?? "timed out");
        Assert.Equal(3, Assert.IsType<Heartbeat>(good!.Packet).FreeSlots);
    }

    [Fact]
    public void TryReceivePacket_ReturnsFalseWithoutError_WhenNothingArrives()
    {
        var ok = _router.TryReceivePacket(hasRouting: true, TimeSpan.FromMilliseconds(50), out var received, out var error);

        Assert.False(ok);
        Assert.Null(received);
        Assert.Null(error);
    }

    [Fact]
    public void Subscriber_ReceivesPublishedPacket_WithItsTopicAsRoutingFrame()
    {
        using var pub = Endpoints.Configure(new PublisherSocket());
        var endpoint = Endpoints.Bind(pub, "tcp://127.0.0.1:*");
        using var sub = Endpoints.Configure(new SubscriberSocket());
        sub.Connect(endpoint);
        sub.Subscribe("probe/");
        sub.Subscribe(Topics.Run(7));
        var stamp = new PacketStamp("dbwriter@test");

        // A subscription takes effect some time after Subscribe: probe until one echo arrives, as clients do.
        ReceivedPacket? echo = null;
        var deadline = DateTime.UtcNow + s_timeout;
        while (echo is null && DateTime.UtcNow < deadline)
        {
            pub.SendPacket(stamp, new ProbeEcho { Token = "t1" }, routing: Topics.Bytes(Topics.Probe("t1")));
            sub.TryReceivePacket(hasRouting: true, TimeSpan.FromMilliseconds(100), out echo, out _);
        }

        Assert.NotNull(echo);
        pub.SendPacket(stamp, new RunChanged { RunId = 8, State = "ignored" }, routing: Topics.Bytes(Topics.Run(8)));
        pub.SendPacket(stamp, new TestChanged { Row = new TestRowInfo { RunId = 7, TestName = "t" } }, routing: Topics.Bytes(Topics.Test(7, "t")));

        Assert.True(sub.TryReceivePacket(hasRouting: true, s_timeout, out var changed, out var error), error?.ToString() ?? "timed out");
        Assert.Equal("run/7/test/t", Encoding.UTF8.GetString(changed!.Routing!));
        Assert.Equal("t", Assert.IsType<TestChanged>(changed.Packet).Row.TestName);
    }

    [Fact]
    public void OversizedFrame_IsDroppedAtTheSocket_AndOtherPeersCarryOn()
    {
        // A frame larger than any packet can be: the server drops that peer's connection instead of buffering it.
        _dealer.SendMultipartMessage(new NetMQMessage([new byte[16], new byte[PacketCodec.MaxBodyBytes + PacketCodec.MaxHeaderBytes + 1]]));
        NetMQMessage? raw = null;
        Assert.False(_router.TryReceiveMultipartMessage(TimeSpan.FromSeconds(1), ref raw), "the oversized message must not arrive");

        using var other = Endpoints.Configure(new DealerSocket());
        other.Connect(_router.Options.LastEndpoint!);
        var sent = other.SendPacket(new PacketStamp("other"), new Ack { Ok = true });
        Assert.True(_router.TryReceivePacket(hasRouting: true, s_timeout, out var received, out var error), error?.ToString() ?? "timed out");
        Assert.Equal(sent.MessageId, received!.Header.MessageId);
    }
}
