using System.Net;
using System.Net.Sockets;
using System.Text;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using Megatest.Testing;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Integration.Tests;

/// <summary>
/// A site of real daemons with <c>[services] security curve</c>: a run with allowlisted keys succeeds; a client with an
/// unknown key, a client without CURVE and a raw TCP peer are refused and logged and change nothing; the traffic on the
/// wire is encrypted; <c>megatest keys</c> makes and lists the keys.
/// </summary>
public sealed class SecurityTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TempDir _tmp = new("sec");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task CurveSite_RunsWithListedKeys_RefusesOthers_AndEncryptsTheWire()
    {
        var keys = await CreateKeysAsync(_tmp.Path, ["server"], ["alice"], ["mallory", "--no-allow"]);

        var list = await MegatestProcess.RunAsync(_tmp.Path, s_timeout, "keys", "list", "--keys-dir", keys);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"alice\s+\S{40}\s+secret here, allowed as alice", list.Stdout);
        Assert.Matches(@"mallory\s+\S{40}\s+secret here, not allowed", list.Stdout);
        Assert.Contains("authorized_keys: 2 key(s)", list.Stdout, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, "alice.key_secret")));
        var store = new KeyStore(keys);

        var area = _tmp.CopyFrom(Path.Combine(TestPaths.SharedAreas, "mintest"), "mintest");
        Directory.CreateDirectory(Path.Combine(area, "runs"));
        using var site = await DaemonSite.StartAsync(area, moreServices: CurveServices(keys));
        await site.AddAgentsAsync("agent", 1, slots: 2);

        // Listed keys: the run goes through the daemons and ends.
        var run = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(2), "-run", "-target", "v1.0", "-runname", "r1", "-testpatt", "%");
        Assert.True(run.ExitCode == 0, run.ToString() + site);
        Assert.Contains("Using the coordinator at " + site.CoordinatorEndpoint, run.Stderr, StringComparison.Ordinal);
        Assert.Contains("coordinator authenticated a peer as alice", site.Coordinator.Stderr, StringComparison.Ordinal);
        Assert.Contains("db writer authenticated a peer as server", site.DbWriter.Stderr, StringComparison.Ordinal);
        Assert.Contains("db writer authenticated a peer as alice", site.DbWriter.Stderr, StringComparison.Ordinal);
        // The client followed the run on the sealed change feed with the key its db writer link was given.
        Assert.Contains("lt/v1.0/r1/", run.Stdout, StringComparison.Ordinal);

        // An unknown key: refused with a clear message, logged, nothing run.
        var env = new Dictionary<string, string> { ["MEGATEST_KEY"] = "mallory" };
        var refused = await MegatestProcess.RunFileAsync(MegatestProcess.Executable, area, s_timeout, env, "-run", "-target", "v1.0", "-runname", "r2", "-testpatt", "%");
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains("the coordinator refused this client: unknown-key", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("coordinator refused a peer", site.Coordinator.Stderr, StringComparison.Ordinal);

        // A client without CURVE: its packets to the coordinator and the db writer are never read.
        var stamp = new PacketStamp("intruder@test");
        using (var plainCoordinator = Endpoints.Configure(new DealerSocket()))
        using (var plainDb = Endpoints.Configure(new DealerSocket()))
        {
            plainCoordinator.Connect(site.CoordinatorEndpoint);
            plainDb.Connect(site.DbWriterEndpoint);
            plainCoordinator.SendPacket(stamp, new RunRequest { Target = "v1.0", RunName = "r3", TestPatt = "%" });
            plainDb.SendPacket(stamp, new RegisterRun { KeyValues = ["v1.0"], RunName = "r3" });

            // A raw TCP peer offering the NULL mechanism is closed in the handshake (NullGreetingAsync returns only when
            // the daemon closes the connection). Its log lines are not awaited: connection lines are rate-limited and
            // NetMQ's monitor does not always report a connection cut in the handshake.
            await NullGreetingAsync(site.CoordinatorEndpoint);
            NetMQMessage? nothing = null;
            Assert.False(plainCoordinator.TryReceiveMultipartMessage(TimeSpan.Zero, ref nothing));
        }

        // The wire: a listed client through a forwarding proxy works, and the proxy never sees the plaintext.
        const string marker = "PLAINTEXT-MARKER-7f3a";
        using (var proxy = new TcpForwarder(site.CoordinatorEndpoint))
        using (var client = Endpoints.Configure(new DealerSocket()))
        {
            Endpoints.Connect(client, proxy.Endpoint, TransportSecurity.Load(keys, "alice", "server"));
            var sent = client.SendPacket(stamp, new StatusQuery { Target = marker, RunName = "%" });
            Assert.True(client.TryReceivePacket(false, s_timeout, out var reply, out var error), error?.ToString() ?? "no reply through the proxy");
            Assert.Equal(sent.MessageId, reply!.Header.CorrelationId);
            var wire = proxy.Captured();
            Assert.Contains("CURVE", Encoding.ASCII.GetString(wire), StringComparison.Ordinal);
            Assert.DoesNotContain(marker, Encoding.ASCII.GetString(wire), StringComparison.Ordinal);
            Assert.DoesNotContain("StatusQuery", Encoding.ASCII.GetString(wire), StringComparison.Ordinal);
        }

        // The change feed: a subscriber with a valid CURVE handshake but no allowlisted key gets only sealed bodies.
        await SealedFeedAsync(area, keys, stamp);

        // A restarted db writer seals with a new key: the coordinator fetches it again and a followed run still ends.
        await site.KillDbWriterAsync();
        await site.RestartDbWriterAsync();
        var again = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(2), "-run", "-target", "v1.0", "-runname", "r4", "-testpatt", "%");
        Assert.True(again.ExitCode == 0, again.ToString() + site);
        Assert.Contains("lt/v1.0/r4/", again.Stdout, StringComparison.Ordinal);

        // The monitor goes live only when its probe's echo opens on the sealed feed; then it lists the runs.
        var monitor = await MegatestProcess.RunAsync(area, TimeSpan.FromSeconds(60), "monitor", "--once", "-dumpmode", "json");
        Assert.True(monitor.ExitCode == 0, monitor.ToString());
        Assert.Contains("r4", monitor.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("feed:", monitor.Stderr, StringComparison.Ordinal);

        // Nothing the refused clients sent did anything.
        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        Assert.Equal(["r1", "r4"], db.Query("SELECT runname FROM runs ORDER BY runname").Select(r => (string)r[0]!).ToArray());
        Assert.True(db.Tests("r1").Count > 0);
        Assert.False(Directory.Exists(Path.Combine(area, "runs", "v1.0", "r2")));
        Assert.False(Directory.Exists(Path.Combine(area, "runs", "v1.0", "r3")));
        Assert.Contains(store.Load("mallory", needSecret: false).PublicKey, site.Coordinator.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Makes key pairs with <c>megatest keys create NAME [ARGS]</c> in DIR/keys (one entry a key); returns that directory.</summary>
    internal static async Task<string> CreateKeysAsync(string dir, params string[][] creates)
    {
        var keys = Path.Combine(dir, "keys");
        foreach (var args in creates)
        {
            var made = await MegatestProcess.RunAsync(dir, s_timeout, ["keys", "create", .. args, "--keys-dir", keys]);
            Assert.True(made.ExitCode == 0, made.ToString());
        }

        return keys;
    }

    /// <summary>The [services] lines of a site with <c>security curve</c>, keys in <paramref name="keys"/>, whose clients (and agents) use alice's key.</summary>
    internal static string CurveServices(string keys) => $"security curve\nkeys-dir {keys}\nkey alice\n";

    private static async Task SealedFeedAsync(string area, string keys, PacketStamp stamp)
    {
        var publish = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(area, "megatest.config")), @"dbwriter-publish (\S+)").Groups[1].Value;
        var dbwriter = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(area, "megatest.config")), @"dbwriter (tcp\S+)").Groups[1].Value;
        using var eavesdropper = Endpoints.Configure(new SubscriberSocket());
        TransportSecurity.Load(keys, "mallory", "server").Client(eavesdropper);
        eavesdropper.Connect(publish);
        eavesdropper.SubscribeToAnyTopic();
        using var alice = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(alice, dbwriter, TransportSecurity.Load(keys, "alice", "server"));
        NetMQMessage? msg = null;
        await Wait.UntilAsync(() =>
        {
            alice.SendPacket(stamp, new SubscribeProbe { Token = "EAVESDROP-TOKEN" });
            return eavesdropper.TryReceiveMultipartMessage(TimeSpan.FromMilliseconds(100), ref msg);
        }, s_timeout, "a published change reaching the eavesdropper");
        var body = msg!.Last.ToByteArray();
        Assert.Equal(FeedKey.Marker, body[0]);
        Assert.DoesNotContain("EAVESDROP-TOKEN", Encoding.Latin1.GetString(body), StringComparison.Ordinal);
        Assert.False(PacketSocketExtensions.TryDecode(msg, true, out _, out var error));
        Assert.Contains("sealed with the feed key", error!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CurveDaemon_WithoutItsKey_OrWithABadMode_StopsWithOneClearMessage()
    {
        var area = _tmp.CopyFrom(Path.Combine(TestPaths.SharedAreas, "mintest"), "mintest");
        var keys = Path.Combine(_tmp.Path, "empty-keys");
        File.AppendAllText(Path.Combine(area, "megatest.config"), $"\n[services]\ndbwriter tcp://127.0.0.1:0\ndbwriter-publish tcp://127.0.0.1:0\nsecurity curve\nkeys-dir {keys}\n");

        var missing = await MegatestProcess.RunAsync(area, s_timeout, "dbwriter");
        Assert.True(missing.ExitCode != 0, missing.ToString());
        Assert.Contains($"no secret key {Path.Combine(keys, "server.key_secret")}: create it with `megatest keys create server`", missing.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(area, "megatest.db")), "nothing is opened before the keys are there");

        var env = new Dictionary<string, string> { ["MEGATEST_SECURITY"] = "tls" };
        var bad = await MegatestProcess.RunFileAsync(MegatestProcess.Executable, area, s_timeout, env, "dbwriter");
        Assert.True(bad.ExitCode != 0, bad.ToString());
        Assert.Contains("[services] security tls: expected curve or none", bad.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Offers the NULL mechanism to <paramref name="endpoint"/> on a raw TCP connection; returns when the server closes it (a CURVE server does so in the handshake).</summary>
    internal static async Task NullGreetingAsync(string endpoint)
    {
        var port = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var greeting = new byte[64];
        greeting[0] = 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        Encoding.ASCII.GetBytes("NULL").CopyTo(greeting, 12);
        var stream = tcp.GetStream();
        await stream.WriteAsync(greeting);
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(s_timeout);
        while (await stream.ReadAsync(buffer, cts.Token) > 0)
        {
            // read until the daemon closes the connection
        }
    }

    /// <summary>A one-connection TCP proxy that keeps a copy of every byte in both directions.</summary>
    private sealed class TcpForwarder : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly MemoryStream _captured = new();
        private readonly CancellationTokenSource _stop = new();

        public TcpForwarder(string upstream)
        {
            _listener.Start();
            Endpoint = $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            var port = int.Parse(upstream[(upstream.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            _ = Task.Run(async () =>
            {
                using var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                using var outbound = new TcpClient();
                await outbound.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                await Task.WhenAny(Pump(inbound.GetStream(), outbound.GetStream()), Pump(outbound.GetStream(), inbound.GetStream()));
            });
        }

        public string Endpoint { get; }

        public byte[] Captured()
        {
            lock (_captured)
            {
                return _captured.ToArray();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task Pump(NetworkStream from, NetworkStream to)
        {
            var buffer = new byte[65536];
            try
            {
                int n;
                while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    lock (_captured)
                    {
                        _captured.Write(buffer, 0, n);
                    }

                    await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // the test is over
            }
        }
    }
}
