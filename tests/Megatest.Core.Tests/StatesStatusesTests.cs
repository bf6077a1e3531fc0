using Megatest.Core;

namespace Megatest.Core.Tests;

public class StatesStatusesTests
{
    [Theory]
    [InlineData("ARCHIVED", 0)]
    [InlineData("STUCK", 1)]
    [InlineData("KILLREQ", 2)]
    [InlineData("KILLED", 3)]
    [InlineData("NOT_STARTED", 4)]
    [InlineData("COMPLETED", 5)]
    [InlineData("LAUNCHED", 6)]
    [InlineData("REMOTEHOSTSTART", 7)]
    [InlineData("RUNNING", 8)]
    [InlineData("INCOMPLETE", 0)]
    [InlineData("DELETED", 0)]
    [InlineData("whatever", 0)]
    public void StateWeights(string state, int weight) => Assert.Equal(weight, States.StateWeight(state));

    [Theory]
    [InlineData("n/a", 1)]
    [InlineData("PASS", 2)]
    [InlineData("SKIP", 3)]
    [InlineData("WARN", 4)]
    [InlineData("WAIVED", 5)]
    [InlineData("CHECK", 6)]
    [InlineData("STUCK/DEAD", 7)]
    [InlineData("FAIL", 8)]
    [InlineData("ABORT", 9)]
    [InlineData("PREQ_FAIL", 0)]
    [InlineData("AUTO", 0)]
    public void StatusWeights(string status, int weight) => Assert.Equal(weight, Statuses.StatusWeight(status));

    [Fact]
    public void RunningStates()
    {
        Assert.True(States.IsRunning(States.Running));
        Assert.True(States.IsRunning(States.RemoteHostStart));
        Assert.True(States.IsRunning(States.Launched));
        Assert.False(States.IsRunning(States.NotStarted));
        Assert.False(States.IsRunning(States.Completed));
        Assert.False(States.IsRunning("running"));
    }

    [Fact]
    public void EndedStates()
    {
        foreach (var s in new[] { "COMPLETED", "ARCHIVED", "KILLED", "KILLREQ", "STUCK", "INCOMPLETE" })
        {
            Assert.True(States.IsEnded(s), s);
        }

        foreach (var s in new[] { "NOT_STARTED", "RUNNING", "LAUNCHED", "REMOTEHOSTSTART", "DELETED" })
        {
            Assert.False(States.IsEnded(s), s);
        }
    }

    [Fact]
    public void BadlyEndedAndCantRun()
    {
        Assert.True(States.IsBadlyEnded("KILLED"));
        Assert.True(States.IsBadlyEnded("DEAD"));
        Assert.False(States.IsBadlyEnded("COMPLETED"));
        Assert.True(States.IsCantRun("COMPLETED"));
        Assert.True(States.IsCantRun("UNKNOWN"));
        Assert.False(States.IsCantRun("NOT_STARTED"));
    }

    [Theory]
    [InlineData("PASS", true)]
    [InlineData("WARN", true)]
    [InlineData("CHECK", true)]
    [InlineData("WAIVED", true)]
    [InlineData("SKIP", true)]
    [InlineData("FAIL", false)]
    [InlineData("ABORT", false)]
    [InlineData("n/a", false)]
    [InlineData("pass", false)]
    public void OkStatuses(string status, bool ok) => Assert.Equal(ok, Statuses.IsOk(status));

    [Theory]
    [InlineData("n/a", true)]
    [InlineData("na", true)]
    [InlineData("PASS", true)]
    [InlineData("FAIL", true)]
    [InlineData("WARN", true)]
    [InlineData("CHECK", true)]
    [InlineData("WAIVED", true)]
    [InlineData("DEAD", true)]
    [InlineData("SKIP", true)]
    [InlineData("PREQ_FAIL", false)]
    [InlineData("PREQ_DISCARDED", false)]
    [InlineData("ZERO_ITEMS", false)]
    [InlineData("KEEP_TRYING", false)]
    [InlineData("ABORT", false)]
    public void AcceptableNotStarted(string status, bool ok) => Assert.Equal(ok, Statuses.IsAcceptableNotStarted(status));

    [Fact]
    public void WorstPicksHigherWeight()
    {
        Assert.Equal("FAIL", Statuses.Worst("WARN", "FAIL"));
        Assert.Equal("ABORT", Statuses.Worst("ABORT", "FAIL"));
        Assert.Equal("n/a", Statuses.Worst("n/a", "PREQ_FAIL"));
    }

    [Fact]
    public void ConstantSpellings()
    {
        Assert.Equal("n/a", Statuses.NA);
        Assert.Equal("STUCK/DEAD", Statuses.StuckDead);
        Assert.Equal("PREQ_DISCARDED", Statuses.PreqDiscarded);
        Assert.Equal("REMOTEHOSTSTART", States.RemoteHostStart);
        Assert.Equal("NOT_STARTED", States.NotStarted);
    }
}
