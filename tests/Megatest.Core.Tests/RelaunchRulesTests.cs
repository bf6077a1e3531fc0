using Megatest.Core;

namespace Megatest.Core.Tests;

public class RelaunchRulesTests
{
    private static readonly RelaunchRules.Options s_plain = RelaunchRules.Options.Default;

    private static RelaunchRules.Options Rerun(string list, bool keepGoing = false) =>
        new(false, RelaunchRules.ParseRerunList(list), keepGoing);

    [Theory]
    [InlineData("NOT_STARTED", "n/a")]
    [InlineData("NOT_STARTED", "PREQ_FAIL")]
    [InlineData("NOT_STARTED", "FAIL")]
    [InlineData("INCOMPLETE", "KILLED")]
    [InlineData("INCOMPLETE", "n/a")]
    [InlineData("DELETED", "n/a")]
    public void NotStartedIncompleteDeletedRun(string state, string status) =>
        Assert.True(RelaunchRules.ShouldLaunch(state, status, s_plain));

    [Theory]
    [InlineData("PASS")]
    [InlineData("FAIL")]
    [InlineData("WARN")]
    [InlineData("CHECK")]
    [InlineData("SKIP")]
    [InlineData("WAIVED")]
    [InlineData("ABORT")]
    [InlineData("n/a")]
    [InlineData("DEAD")]
    public void CompletedIsLeftAloneWithoutRerun(string status) =>
        Assert.False(RelaunchRules.ShouldLaunch("COMPLETED", status, s_plain));

    [Theory]
    [InlineData("LAUNCHED")]
    [InlineData("REMOTEHOSTSTART")]
    [InlineData("RUNNING")]
    public void RunningIsNotLaunched(string state)
    {
        Assert.False(RelaunchRules.ShouldLaunch(state, "n/a", s_plain));
        Assert.False(RelaunchRules.ShouldLaunch(state, "n/a", Rerun("n/a")));
    }

    [Fact]
    public void KilledNeedsForce()
    {
        Assert.False(RelaunchRules.ShouldLaunch("KILLED", "KILLED", s_plain));
        Assert.False(RelaunchRules.ShouldLaunch("KILLED", "KILLED", Rerun("KILLED")));
        Assert.True(RelaunchRules.ShouldLaunch("KILLED", "KILLED", new(true, null, false)));
    }

    [Theory]
    [InlineData("COMPLETED", "PASS")]
    [InlineData("RUNNING", "n/a")]
    [InlineData("KILLED", "KILLED")]
    [InlineData("ARCHIVED", "PASS")]
    public void ForceAlwaysLaunches(string state, string status) =>
        Assert.True(RelaunchRules.ShouldLaunch(state, status, new(true, null, true)));

    [Fact]
    public void RerunListSelectsStatuses()
    {
        var o = Rerun("FAIL,ABORT");
        Assert.True(RelaunchRules.ShouldLaunch("COMPLETED", "FAIL", o));
        Assert.True(RelaunchRules.ShouldLaunch("COMPLETED", "ABORT", o));
        Assert.False(RelaunchRules.ShouldLaunch("COMPLETED", "PASS", o));
        Assert.False(RelaunchRules.ShouldLaunch("COMPLETED", "WARN", o));
        Assert.True(RelaunchRules.ShouldLaunch("NOT_STARTED", "n/a", o));
    }

    [Fact]
    public void AutomaticRerunPassList()
    {
        var o = Rerun("STUCK/DEAD,n/a,ZERO_ITEMS");
        Assert.True(RelaunchRules.ShouldLaunch("COMPLETED", "STUCK/DEAD", o));
        Assert.True(RelaunchRules.ShouldLaunch("STUCK", "STUCK/DEAD", o));
        Assert.False(RelaunchRules.ShouldLaunch("COMPLETED", "FAIL", o));
    }

    [Fact]
    public void RerunListIsCaseInsensitive()
    {
        Assert.True(RelaunchRules.ShouldLaunch("COMPLETED", "FAIL", Rerun("fail")));
        var ordinalSet = new HashSet<string>(StringComparer.Ordinal) { "fail" };
        Assert.True(RelaunchRules.ShouldLaunch("COMPLETED", "FAIL", new(false, ordinalSet, false)));
    }

    [Fact]
    public void KeepGoingNeverRerunsFail()
    {
        Assert.False(RelaunchRules.ShouldLaunch("COMPLETED", "FAIL", Rerun("FAIL", keepGoing: true)));
        Assert.True(RelaunchRules.ShouldLaunch("COMPLETED", "ABORT", Rerun("FAIL,ABORT", keepGoing: true)));
    }

    [Theory]
    [InlineData("KILLREQ")]
    [InlineData("REMOVING")]
    [InlineData("CLEANING")]
    [InlineData("ARCHIVED")]
    public void TransitionalStatesAreNotRerun(string state) =>
        Assert.False(RelaunchRules.ShouldLaunch(state, "FAIL", Rerun("FAIL")));

    [Fact]
    public void ParseRerunListDropsBlanks() =>
        Assert.Equal(2, RelaunchRules.ParseRerunList(" FAIL, ,ABORT,").Count);
}
