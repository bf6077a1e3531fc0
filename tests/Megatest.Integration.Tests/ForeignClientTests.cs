using System.Text.RegularExpressions;
using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// schemas/ is a contract for clients in other languages on libzmq: the Python client of schemas/packets/README.md
/// ("8. Example", pyzmq + msgpack) runs a corpus area through real daemons, and tools/protocol/curve_client.py (pyzmq's
/// libzmq CURVE + PyNaCl for AuthHello) is accepted by a secured coordinator with an allowlisted key and refused with
/// an unknown one; tools/protocol/bundle_client.py sends a Bundle to the db writer and reads its BundleAck. Needs Debian's python3-zmq, python3-msgpack and python3-nacl (installed by .ci/run).
/// </summary>
public sealed partial class ForeignClientTests : IDisposable
{
    // Debian's interpreter, where apt puts python3-zmq and friends (a python3 earlier on PATH, e.g. pyenv's, lacks them).
    private const string DebianPython = "/usr/bin/python3";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private readonly TempDir _tmp = new("foreign");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task ReadmePythonClient_OnLibzmq_RunsAnAreaThroughTheDaemons()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "schemas", "packets", "README.md"));
        var block = ReadmeExample().Match(readme);
        Assert.True(block.Success, "no python block under '## 8. Example' in schemas/packets/README.md");
        var client = Path.Combine(_tmp.Path, "runreq.py");
        File.WriteAllText(client, block.Groups[1].Value);
        var area = Area();
        using var site = await DaemonSite.StartAsync(area);
        await site.AddAgentsAsync("agent", 1, slots: 2);

        var run = await MegatestProcess.RunFileAsync(DebianPython, _tmp.Path, s_timeout, null, client, site.CoordinatorEndpoint, "v1.0", "py1");

        Assert.True(run.ExitCode == 0, run.ToString() + site);
        Assert.StartsWith("accepted: ", run.Stdout, StringComparison.Ordinal);
        // The same run asked for by megatest itself ends with the same states and statuses, test for test.
        var cli = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "v1.0", "-runname", "cli1", "-testpatt", "%");
        Assert.True(cli.ExitCode == 0, cli.ToString() + site);
        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var expected = db.Tests("cli1").ToDictionary(kv => kv.Key, kv => (kv.Value.State, kv.Value.Status));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, db.Tests("py1").ToDictionary(kv => kv.Key, kv => (kv.Value.State, kv.Value.Status)));
    }

    [Fact]
    public async Task CurveClientPy_OnLibzmqCurve_IsAcceptedWithAListedKey_AndRefusedWithAnUnknownOne()
    {
        var keys = await SecurityTests.CreateKeysAsync(_tmp.Path, ["server"], ["alice"], ["mallory", "--no-allow"]);
        using var site = await DaemonSite.StartAsync(Area(), moreServices: SecurityTests.CurveServices(keys));
        var script = Path.Combine(TestPaths.RepoRoot, "tools", "protocol", "curve_client.py");

        var alice = await MegatestProcess.RunFileAsync(DebianPython, _tmp.Path, s_timeout, null, script, keys, "alice", site.CoordinatorEndpoint);
        var mallory = await MegatestProcess.RunFileAsync(DebianPython, _tmp.Path, s_timeout, null, script, keys, "mallory", site.CoordinatorEndpoint);

        Assert.True(alice.ExitCode == 0, alice.ToString() + site);
        Assert.Contains("AuthReply: accepted=True", alice.Stdout, StringComparison.Ordinal);
        Assert.Contains("StatusReply: 0 run(s)", alice.Stdout, StringComparison.Ordinal);
        Assert.True(mallory.ExitCode != 0, mallory.ToString());
        Assert.Contains("AuthReply: accepted=False", mallory.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("StatusReply", mallory.Stdout, StringComparison.Ordinal);
        Assert.Contains("coordinator refused a peer", site.Coordinator.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BundleClientPy_OnLibzmq_GetsOneAnswerPerEntry_AndTheEntriesAreAppliedAsIfSentAlone()
    {
        var area = Area();
        using var site = await DaemonSite.StartAsync(area);
        var script = Path.Combine(TestPaths.RepoRoot, "tools", "protocol", "bundle_client.py");

        var run = await MegatestProcess.RunFileAsync(DebianPython, _tmp.Path, s_timeout, null, script, site.DbWriterEndpoint, "v1.0", "bundled");

        Assert.True(run.ExitCode == 0, run.ToString() + site);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["entry 0: ok", "entry 1: ok"], lines[..2]);
        Assert.StartsWith("entry 2: refused: ", lines[2], StringComparison.Ordinal);
        Assert.Contains("987654321", lines[2], StringComparison.Ordinal);
        Assert.Equal(["entry 3: ok", "entry 4: ok"], lines[3..]);
        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var tests = db.Tests("bundled");
        Assert.Equal(("COMPLETED", "PASS"), (tests[("b1", "")].State, tests[("b1", "")].Status));
        Assert.Equal(("COMPLETED", "FAIL"), (tests[("b2", "")].State, tests[("b2", "")].Status));
    }

    private string Area()
    {
        var area = _tmp.CopyFrom(Path.Combine(TestPaths.SharedAreas, "mintest"), "mintest");
        Directory.CreateDirectory(Path.Combine(area, "runs"));
        return area;
    }

    [GeneratedRegex(@"## 8\. Example.*?```python\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ReadmeExample();
}
