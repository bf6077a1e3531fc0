using Megatest.Integration.Tests;
using Megatest.Testing;

namespace Megatest.Slurm.Tests;

/// <summary>
/// The ssh launcher of README "Slurm" (Other launchers): an agent started on a "host" over ssh, against a real sshd
/// on loopback, serves the host type its labels name; flexi-launcher sends the area's tests there.
/// </summary>
public sealed class SshLauncherTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TempDir _tmp = new("ssh");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task AgentStartedOverSsh_RunsTheTestsOfItsHostType()
    {
        using var sshd = await LoopbackSshd.StartAsync(Path.Combine(_tmp.Path, "ssh"));
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"),
            "[jobtools]\nflexi-launcher yes\n\n[launchers]\n% remote\n\n[host-types]\nremote ssh HOST megatest agent --labels remote\n",
            ("a", [("testconfig", "[ezsteps]\nhello echo via ssh $SSH_CONNECTION\n")]),
            ("b", [("testconfig", "[requirements]\nwaiton a\n\n[ezsteps]\nhello echo via ssh $SSH_CONNECTION\n")]));
        using var site = await DaemonSite.StartAsync(area);

        // The agent takes its two tests and leaves by itself, so the ssh session ends cleanly.
        using var agent = DaemonProcess.Start("ssh-agent", "ssh", area, null,
            [.. sshd.SshArgs(), MegatestProcess.Executable, "agent", "--coordinator", site.CoordinatorEndpoint, "--dbwriter", site.DbWriterEndpoint,
             "--labels", "remote", "--agent-id", "ssh1", "--host", "ssh1", "--slots", "2", "--max-tests", "2", "--idle-exit", "60"]);
        await site.Coordinator.WaitForLineAsync(l => l.Contains("agent ssh1 on ssh1 registered", StringComparison.Ordinal), s_timeout, "the agent started over ssh to register\n" + agent);

        var run = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "k1", "-runname", "r1", "-testpatt", "%");
        Assert.True(run.ExitCode == 0, run.ToString() + site + agent);

        using (var db = new AreaDb(Path.Combine(area, "megatest.db")))
        {
            var tests = db.Tests("r1");
            Assert.Equal(2, tests.Count);
            Assert.All(tests, t => Assert.True(t.Value is { State: "COMPLETED", Status: "PASS" }, $"{t.Key}: {t.Value}\n{site}{agent}"));
        }

        // Each test ran under the agent sshd started: its environment carries the ssh connection to the loopback port.
        foreach (var test in new[] { "a", "b" })
        {
            var log = File.ReadAllText(Path.Combine(area, "links", "k1", "r1", test, "hello.log"));
            Assert.Contains($"via ssh 127.0.0.1 ", log, StringComparison.Ordinal);
            Assert.Contains($" 127.0.0.1 {sshd.Port}", log, StringComparison.Ordinal);
        }

        Assert.Equal(0, await agent.WaitForExitAsync(s_timeout));
    }
}
