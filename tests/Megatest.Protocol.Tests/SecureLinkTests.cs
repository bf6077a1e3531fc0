using System.Net.Sockets;
using System.Text;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using Megatest.Testing;
using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Protocol.Tests;

/// <summary>The CURVE links and the allowlist handshake over real loopback TCP sockets.</summary>
[Collection(SocketCollection.Name)]
public sealed class SecureLinkTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly CurveKeyPair _server = CurveKeyPair.Generate("server");
    private readonly CurveKeyPair _alice = CurveKeyPair.Generate("alice");
    private readonly CurveKeyPair _mallory = CurveKeyPair.Generate("mallory");
    private readonly TempDir _dir = new("mt-keys");
    private readonly RouterSocket _router = Endpoints.Configure(new RouterSocket());
    private readonly ListLogger _log = new();
    private readonly PeerGate _gate;
    private readonly TransportSecurity _serverSecurity;
    private readonly string _endpoint;
    private readonly List<NetMQSocket> _clients = [];

    public SecureLinkTests()
    {
        File.WriteAllText(Path.Combine(_dir.Path, AllowList.FileName), $"# who may talk to the daemons\nalice {_alice.PublicKey}\nserver {_server.PublicKey}\n");
        _serverSecurity = new TransportSecurity(_server, _server, AllowList.Read(Path.Combine(_dir.Path, AllowList.FileName)));
        _endpoint = Endpoints.Bind(_router, "tcp://127.0.0.1:0", _serverSecurity);
        _gate = new PeerGate(_serverSecurity, "test server", _log);
    }

    public void Dispose()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        _router.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void AllowlistedClient_IsAccepted_AndItsPacketsPass()
    {
        var client = Dealer(_alice);

        client.SendPacket(new PacketStamp("cli@test"), new SubscribeProbe { Token = "t1" });

        var admitted = PumpUntilAdmitted();
        Assert.Equal("t1", Assert.IsType<SubscribeProbe>(admitted.Packet).Token);
        Assert.Contains(_log.Lines, l => l.Contains("authenticated a peer as alice", StringComparison.Ordinal));
        Assert.Null(SecureLink.Refusal(client));
    }

    [Fact]
    public void ServerThatForgotThePeer_DropsItsPackets_UntilTheClientSaysHelloAgain()
    {
        var client = Dealer(_alice);
        var stamp = new PacketStamp("cli@test");
        client.SendPacket(stamp, new SubscribeProbe { Token = "before" });
        Assert.Equal("before", Assert.IsType<SubscribeProbe>(PumpUntilAdmitted().Packet).Token);

        // A restarted server knows nobody: the same connection must authenticate again, which the client does by itself
        // when it reads the not-authenticated answer.
        using var restarted = new PeerGate(_serverSecurity, "restarted server", _log);
        var deadline = DateTime.UtcNow + s_timeout;
        ReceivedPacket? admitted = null;
        while (admitted is null && DateTime.UtcNow < deadline)
        {
            client.SendPacket(stamp, new SubscribeProbe { Token = "after" });
            NetMQMessage? msg = null;
            while (admitted is null && _router.TryReceiveMultipartMessage(TimeSpan.FromMilliseconds(100), ref msg))
            {
                if (restarted.Admit(_router, msg) && PacketSocketExtensions.TryDecode(msg, true, out var received, out _))
                {
                    admitted = received;
                }

                msg = null;
            }

            client.TryReceivePacket(false, TimeSpan.FromMilliseconds(200), out _, out _);
        }

        Assert.Equal("after", Assert.IsType<SubscribeProbe>(admitted?.Packet).Token);
        Assert.True(restarted.Dropped >= 1);
        Assert.Contains(_log.Lines, l => l.Contains("restarted server authenticated a peer as alice", StringComparison.Ordinal));
    }

    [Fact]
    public void GateOverAKeySetOfItsOwn_TellsWhichKeyAPacketCameWith_AndForgetsAKeyOnRequest()
    {
        // As an agent's in-test endpoint: the keys accepted are the ones it made (mallory's here), not the allowlist.
        var made = new Dictionary<string, string>(StringComparer.Ordinal) { [_mallory.PublicKey] = "test 7" };
        using var gate = new PeerGate(_server, key => made.GetValueOrDefault(key), "in-test", _log);
        var client = Dealer(_mallory);
        var stamp = new PacketStamp("test@test");
        client.SendPacket(stamp, new Step { TestId = 7, StepName = "before" });
        AnswerHello(gate);
        NetMQMessage? msg = null;
        Assert.True(_router.TryReceiveMultipartMessage(s_timeout, ref msg), "the step did not arrive");
        Assert.True(gate.Admit(_router, msg!, out var peerKey));
        Assert.Equal(_mallory.PublicKey, peerKey);

        // The key is withdrawn (its test ended): the connection that proved it is heard no more.
        made.Clear();
        gate.Forget(_mallory.PublicKey);
        client.SendPacket(stamp, new Step { TestId = 7, StepName = "after" });
        msg = null;
        Assert.True(_router.TryReceiveMultipartMessage(s_timeout, ref msg), "the second step did not arrive");
        Assert.False(gate.Admit(_router, msg!, out peerKey));
        Assert.Null(peerKey);
        Assert.Equal(1, gate.Dropped);
        Assert.Contains(_log.Lines, l => l.Contains("in-test authenticated a peer as test 7", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownKey_IsRefusedAndLogged_AndItsPacketsAreDropped()
    {
        var client = Dealer(_mallory);
        client.SendPacket(new PacketStamp("cli@test"), new RegisterRun { RunName = "should-not-exist" });

        Pump(2);

        Assert.Equal(1, _gate.Refused);
        Assert.Equal(1, _gate.Dropped);
        Assert.Contains(_log.Lines, l => l.Contains("refused a peer", StringComparison.Ordinal) && l.Contains(AuthOutcome.UnknownKey, StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("dropped RegisterRun from a peer that has not authenticated", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow + s_timeout;
        while (SecureLink.Refusal(client) is null && DateTime.UtcNow < deadline)
        {
            client.TryReceivePacket(false, TimeSpan.FromMilliseconds(100), out _, out _);
        }

        Assert.Equal(AuthOutcome.UnknownKey, SecureLink.Refusal(client)!.Outcome);
    }

    [Fact]
    public void CurveClientWithoutHello_IsAnsweredNotAuthenticated_AndNothingPasses()
    {
        var client = Endpoints.Configure(new DealerSocket());
        _clients.Add(client);
        client.Options.Identity = Encoding.ASCII.GetBytes(new string('x', 32));
        new TransportSecurity(_alice, _server, AllowList.Empty).Client(client);
        client.Connect(_endpoint);
        client.SendPacket(new PacketStamp("cli@test"), new SubscribeProbe { Token = "no-hello" });

        Pump(1);

        Assert.Equal(1, _gate.Dropped);
        NetMQMessage? reply = null;
        Assert.True(client.TryReceiveMultipartMessage(s_timeout, ref reply));
        Assert.True(PacketSocketExtensions.TryDecode(reply!, false, out var decoded, out _));
        Assert.Equal(AuthOutcome.NotAuthenticated, Assert.IsType<AuthReply>(decoded!.Packet).Outcome);
    }

    [Fact]
    public void ProofMadeForAnotherRoutingIdentity_IsRefused()
    {
        var stolen = AuthProof.Create(_alice, _server.PublicBytes, Encoding.ASCII.GetBytes(new string('a', 32)));
        var client = Endpoints.Configure(new DealerSocket());
        _clients.Add(client);
        client.Options.Identity = Encoding.ASCII.GetBytes(new string('b', 32));
        new TransportSecurity(_mallory, _server, AllowList.Empty).Client(client);
        client.Connect(_endpoint);
        client.SendPacket(new PacketStamp("cli@test"), stolen);
        client.SendPacket(new PacketStamp("cli@test"), new SubscribeProbe { Token = "replayed" });

        Pump(2);

        Assert.Equal(1, _gate.Refused);
        Assert.Equal(1, _gate.Dropped);
        Assert.Contains(_log.Lines, l => l.Contains(AuthOutcome.BadProof, StringComparison.Ordinal));
    }

    [Fact]
    public void ShortRoutingIdentity_IsRefused()
    {
        var identity = Encoding.ASCII.GetBytes("short");
        var client = Endpoints.Configure(new DealerSocket());
        _clients.Add(client);
        client.Options.Identity = identity;
        new TransportSecurity(_alice, _server, AllowList.Empty).Client(client);
        client.Connect(_endpoint);
        client.SendPacket(new PacketStamp("cli@test"), AuthProof.Create(_alice, _server.PublicBytes, identity));

        Pump(1);

        Assert.Contains(_log.Lines, l => l.Contains(AuthOutcome.WeakIdentity, StringComparison.Ordinal));
    }

    [Fact]
    public void PlainClient_IsCutOffInTheHandshake_AndNothingArrives()
    {
        using var plain = Endpoints.Configure(new DealerSocket());
        plain.Connect(_endpoint);
        plain.SendPacket(new PacketStamp("cli@test"), new SubscribeProbe { Token = "plain" });

        // A plain peer never completes the CURVE handshake, so the ROUTER has nothing to read.
        NetMQMessage? nothing = null;
        Assert.False(_router.TryReceiveMultipartMessage(TimeSpan.FromMilliseconds(500), ref nothing));
    }

    [Fact]
    public void ServerGreeting_OffersMechanismCurve()
    {
        var port = int.Parse(_endpoint[(_endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        using var tcp = new TcpClient("127.0.0.1", port);
        var stream = tcp.GetStream();
        stream.ReadTimeout = (int)s_timeout.TotalMilliseconds;
        // ZMTP 3.0 greeting: signature, version 3.0, mechanism NULL padded to 20, as-server 0, filler.
        var greeting = new byte[64];
        greeting[0] = 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        Encoding.ASCII.GetBytes("NULL").CopyTo(greeting, 12);
        stream.Write(greeting);
        var theirs = new byte[64];
        var read = 0;
        while (read < 64)
        {
            var n = stream.Read(theirs, read, 64 - read);
            Assert.True(n > 0, "the server closed before its greeting was complete");
            read += n;
        }

        Assert.Equal("CURVE", Encoding.ASCII.GetString(theirs, 12, 20).TrimEnd('\0'));
    }

    [Fact]
    public void KeyStore_CreatesZcertFiles_SecretMode0600_AndListsTheKey()
    {
        var store = new KeyStore(Path.Combine(_dir.Path, "store"));
        var created = store.Create("bob", allow: true);

        var loaded = store.Load("bob", needSecret: true);
        Assert.Equal(created, loaded);
        Assert.Equal(created.PublicKey, store.Load("bob", needSecret: false).PublicKey);
        Assert.Equal("bob", store.LoadAllowList().NameOf(created.PublicKey));
        Assert.Contains("public-key = \"" + created.PublicKey + "\"", File.ReadAllText(store.PublicPath("bob")), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key", File.ReadAllText(store.PublicPath("bob")), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.SecretPath("bob")));
        Assert.Equal(["bob"], store.Names());
        Assert.Throws<KeyFileException>(() => store.Create("bob", allow: true));
    }

    [Fact]
    public void AllowList_BadLine_NamesFileAndLine()
    {
        var path = Path.Combine(_dir.Path, "bad_keys");
        File.WriteAllText(path, $"alice {_alice.PublicKey}\n\nbob not-a-key\n");

        var ex = Assert.Throws<KeyFileException>(() => AllowList.Read(path));

        Assert.StartsWith(path + ":3:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SealedFeed_IsReadBySubscriberWhoseLinkAuthenticated_AndTheReplyCarriesTheKey()
    {
        var feed = FeedKey.Generate();
        using var feedGate = new PeerGate(_serverSecurity, "feed server", _log) { Feed = feed };
        using var pub = Endpoints.Configure(new PublisherSocket());
        var pubEndpoint = Endpoints.Bind(pub, "tcp://127.0.0.1:0", _serverSecurity);
        var security = new TransportSecurity(_alice, _server, AllowList.Empty);
        var sub = Subscriber(pubEndpoint, security);
        var link = Dealer(_alice);

        AnswerHello(feedGate);
        var deadline = DateTime.UtcNow + s_timeout;
        while (!SecureLink.HasFeedKey(_server.PublicKey) && DateTime.UtcNow < deadline)
        {
            link.TryReceivePacket(false, TimeSpan.FromMilliseconds(100), out _, out _);
        }

        Assert.True(SecureLink.HasFeedKey(_server.PublicKey), "the accepted AuthReply did not bring the feed key");
        var echo = ReceiveWhilePublishing(pub, feed, sub, out var error);
        Assert.True(echo is not null, "no readable change arrived: " + error);
        Assert.Equal("feed-token", Assert.IsType<ProbeEcho>(echo.Packet).Token);
        Assert.Equal("probe/feed-token", Encoding.UTF8.GetString(echo.Routing!));
    }

    [Fact]
    public void SealedFeed_GivesACurveSubscriberWithoutAnAllowlistedKey_NothingReadable()
    {
        var feed = FeedKey.Generate();
        using var feedGate = new PeerGate(_serverSecurity, "feed server", _log) { Feed = feed };
        using var pub = Endpoints.Configure(new PublisherSocket());
        var pubEndpoint = Endpoints.Bind(pub, "tcp://127.0.0.1:0", _serverSecurity);
        var security = new TransportSecurity(_mallory, _server, AllowList.Empty);

        // Its CURVE handshake is valid (it knows the server's public key), but its hello is refused: no feed key.
        var link = Dealer(_mallory);
        AnswerHello(feedGate);
        var deadline = DateTime.UtcNow + s_timeout;
        while (SecureLink.Refusal(link) is null && DateTime.UtcNow < deadline)
        {
            link.TryReceivePacket(false, TimeSpan.FromMilliseconds(100), out _, out _);
        }

        Assert.Equal(AuthOutcome.UnknownKey, SecureLink.Refusal(link)!.Outcome);
        Assert.False(SecureLink.HasFeedKey(_server.PublicKey));

        // What crosses the wire is ciphertext: the token is not in it and the plain decoder refuses it clearly.
        var raw = Endpoints.Configure(new SubscriberSocket());
        _clients.Add(raw);
        security.Client(raw);
        raw.Connect(pubEndpoint);
        raw.SubscribeToAnyTopic();
        NetMQMessage? msg = null;
        deadline = DateTime.UtcNow + s_timeout;
        while (DateTime.UtcNow < deadline && !raw.TryReceiveMultipartMessage(TimeSpan.FromMilliseconds(50), ref msg))
        {
            PublishSealedEcho(pub, feed);
        }

        Assert.NotNull(msg);
        var body = msg.Last.ToByteArray();
        Assert.Equal(FeedKey.Marker, body[0]);
        Assert.DoesNotContain("feed-token", Encoding.Latin1.GetString(body), StringComparison.Ordinal);
        Assert.False(PacketSocketExtensions.TryDecode(msg, true, out _, out var plainError));
        Assert.Contains("sealed with the feed key", plainError!.Reason, StringComparison.Ordinal);

        // The secured subscriber's own decoder refuses it too, saying why, and nothing readable comes out.
        var sub = Subscriber(pubEndpoint, security);
        var echo = ReceiveWhilePublishing(pub, feed, sub, out var error);
        Assert.Null(echo);
        Assert.NotNull(error);
        Assert.Equal("feed", error.Field);
        Assert.Contains("feed key", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FeedKey_OpensOnlyWhatItSealed()
    {
        var key = FeedKey.Generate();
        var body = PacketCodec.EncodeBody(new ProbeEcho { Token = "x" });

        var sealedBody = key.Seal(body);

        Assert.True(key.TryOpen(sealedBody, out var opened));
        Assert.Equal(body, opened);
        Assert.False(FeedKey.Generate().TryOpen(sealedBody, out _));
        Assert.False(key.TryOpen(body, out _));
        Assert.NotEqual(sealedBody, key.Seal(body));
        Assert.Equal(key.Text, FeedKey.Parse(key.Text)!.Text);
        Assert.Null(FeedKey.Parse("c2hvcnQ="));
    }

    private SubscriberSocket Subscriber(string pubEndpoint, TransportSecurity security)
    {
        var sub = Endpoints.Configure(new SubscriberSocket());
        _clients.Add(sub);
        Endpoints.Connect(sub, pubEndpoint, security);
        sub.SubscribeToAnyTopic();
        return sub;
    }

    private void AnswerHello(PeerGate gate)
    {
        NetMQMessage? msg = null;
        Assert.True(_router.TryReceiveMultipartMessage(s_timeout, ref msg), "no hello arrived");
        Assert.False(gate.Admit(_router, msg!), "the hello was admitted as a packet");
    }

    private static void PublishSealedEcho(PublisherSocket pub, FeedKey feed) =>
        pub.SendEncoded(new PacketStamp("feed@test").Next(PacketCode.ProbeEcho), feed.Seal(PacketCodec.EncodeBody(new ProbeEcho { Token = "feed-token" })), Topics.Bytes(Topics.Probe("feed-token")));

    // A subscription takes effect some time after connecting: publish until something (readable or refused) arrives.
    private static ReceivedPacket? ReceiveWhilePublishing(PublisherSocket pub, FeedKey feed, SubscriberSocket sub, out DecodeError? error)
    {
        var deadline = DateTime.UtcNow + s_timeout;
        error = null;
        while (DateTime.UtcNow < deadline)
        {
            PublishSealedEcho(pub, feed);
            if (sub.TryReceivePacket(true, TimeSpan.FromMilliseconds(50), out var received, out error) || error is not null)
            {
                return received;
            }
        }

        return null;
    }

    private DealerSocket Dealer(CurveKeyPair key)
    {
        var client = Endpoints.Configure(new DealerSocket());
        _clients.Add(client);
        Endpoints.Connect(client, _endpoint, new TransportSecurity(key, _server, AllowList.Empty));
        return client;
    }

    private ReceivedPacket PumpUntilAdmitted()
    {
        var deadline = DateTime.UtcNow + s_timeout;
        while (DateTime.UtcNow < deadline)
        {
            NetMQMessage? msg = null;
            if (_router.TryReceiveMultipartMessage(TimeSpan.FromMilliseconds(100), ref msg) && _gate.Admit(_router, msg))
            {
                Assert.True(PacketSocketExtensions.TryDecode(msg, true, out var received, out var error), error?.ToString());
                return received!;
            }
        }

        throw new TimeoutException("nothing admitted; log: " + string.Join(" | ", _log.Lines));
    }

    private void Pump(int messages)
    {
        for (var i = 0; i < messages; i++)
        {
            NetMQMessage? msg = null;
            Assert.True(_router.TryReceiveMultipartMessage(s_timeout, ref msg), $"message {i + 1} of {messages} did not arrive");
            Assert.False(_gate.Admit(_router, msg!), $"message {i + 1} was admitted");
        }
    }

    private sealed class ListLogger : ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }
}
