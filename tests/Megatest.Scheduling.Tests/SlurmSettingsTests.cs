using Megatest.Config;

namespace Megatest.Scheduling.Tests;

/// <summary>The Slurm launcher's configuration (README "Slurm") and the agent command its jobs run.</summary>
public sealed class SlurmSettingsTests
{
    private static ConfigData Config(params (string Section, string Key, string Value)[] entries)
    {
        var c = new ConfigData();
        foreach (var (section, key, value) in entries)
        {
            c.Set(section, key, value);
        }

        return c;
    }

    [Fact]
    public void IsSelected_ByTheJobtoolsLauncherSlurm()
    {
        Assert.True(SlurmSettings.IsSelected(Config(("jobtools", "launcher", "slurm"))));
        Assert.False(SlurmSettings.IsSelected(Config(("jobtools", "launcher", "nbfake"))));
        Assert.False(SlurmSettings.IsSelected(Config()));
    }

    [Fact]
    public void HostTypes_AreThoseWhoseLauncherIsSlurm_WithFlexiLauncherOn()
    {
        var c = Config(("jobtools", "flexi-launcher", "yes"), ("host-types", "bigq", "slurm"), ("host-types", "local", "nbfake"));
        Assert.Equal(["bigq"], SlurmSettings.HostTypes(c));
        c.Set("jobtools", "flexi-launcher", "no");
        Assert.Empty(SlurmSettings.HostTypes(c));
    }

    [Fact]
    public void From_ReadsEveryKey_AndJobPerTestHasOneSlot()
    {
        var s = SlurmSettings.From(Config(("slurm", "mode", "job-per-test"), ("slurm", "partition", "big"), ("slurm", "time-limit", "1-00:00:00"),
            ("slurm", "max-agent-jobs", "7"), ("slurm", "slots", "8"), ("slurm", "idle-exit", "5"), ("slurm", "sbatch-options", "--mem=1G --account=x")));
        Assert.Equal((SlurmMode.JobPerTest, "big", "1-00:00:00", 7, 1, 5, "--mem=1G --account=x"),
            (s.Mode, s.Partition, s.TimeLimit, s.MaxJobs, s.Slots, s.IdleExitSeconds, s.SbatchOptions));
        var d = SlurmSettings.From(Config());
        Assert.Equal((SlurmMode.AgentJobs, 4, 30, "/dev/null"), (d.Mode, d.MaxJobs, d.IdleExitSeconds, d.Output));
    }

    [Theory]
    [InlineData("mode", "sometimes")]
    [InlineData("max-agent-jobs", "0")]
    [InlineData("idle-exit", "soon")]
    public void From_NamesTheKeyOfABadValue(string key, string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => SlurmSettings.From(Config(("slurm", key, value))));
        Assert.Contains($"[slurm] {key}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentCommand_StartsAnAgentThatRegistersUnderItsJobId()
    {
        using var pool = new SlurmAgentPool("tcp://0.0.0.0:5602");
        var agentJobs = pool.AgentCommand(new SlurmSettings { Megatest = "/opt/mt/megatest", Slots = 4, IdleExitSeconds = 9 }, "tcp://127.0.0.1:5601");
        Assert.Equal(
            $"exec '/opt/mt/megatest' agent --coordinator 'tcp://127.0.0.1:5601' --dbwriter 'tcp://{Environment.MachineName}:5602' --slots 4 --labels 'slurm'"
            + " --idle-exit 9 --agent-id slurm-$SLURM_JOB_ID --host \"$(hostname)\"",
            agentJobs);
        var oneShot = pool.AgentCommand(new SlurmSettings { Mode = SlurmMode.JobPerTest, Slots = 1 }, "tcp://h:1");
        Assert.Contains(" --slots 1 ", oneShot, StringComparison.Ordinal);
        Assert.Contains(" --max-tests 1 ", oneShot, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentInfo_WithMaxTestsLabel_TakesNoMoreOnceItHasTakenThem()
    {
        var agent = new AgentInfo { Identity = [1], AgentId = "slurm-5", Host = "h", Slots = 1, Labels = ["slurm", AgentInfo.MaxTestsLabel + "1"] };
        Assert.Equal((1, 1), (agent.MaxTests, agent.Available));
        agent.Running.Add(42);
        agent.Taken++;
        agent.Running.Remove(42);
        Assert.Equal(0, agent.Available);
    }
}
