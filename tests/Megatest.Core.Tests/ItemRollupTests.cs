using Megatest.Core;

namespace Megatest.Core.Tests;

public class ItemRollupTests
{
    private static (string, string) R(params (string State, string Status)[] items) => ItemRollup.Compute(items);

    [Fact]
    public void AllPassIsCompletedPass() =>
        Assert.Equal(("COMPLETED", "PASS"), R(("COMPLETED", "PASS"), ("COMPLETED", "PASS")));

    [Fact]
    public void OneFailMakesFail() =>
        Assert.Equal(("COMPLETED", "FAIL"), R(("COMPLETED", "PASS"), ("COMPLETED", "FAIL"), ("COMPLETED", "WARN")));

    [Fact]
    public void PassAndWarnGiveWarn() =>
        Assert.Equal(("COMPLETED", "WARN"), R(("COMPLETED", "PASS"), ("COMPLETED", "WARN")));

    [Fact]
    public void AbortIsWorst() =>
        Assert.Equal(("COMPLETED", "ABORT"), R(("COMPLETED", "FAIL"), ("COMPLETED", "ABORT"), ("COMPLETED", "STUCK/DEAD")));

    [Fact]
    public void AnyRunningItemMakesRunning()
    {
        Assert.Equal("RUNNING", R(("COMPLETED", "PASS"), ("LAUNCHED", "n/a")).Item1);
        Assert.Equal("RUNNING", R(("NOT_STARTED", "PREQ_FAIL"), ("REMOTEHOSTSTART", "n/a")).Item1);
    }

    [Fact]
    public void BadNotStartedGivesCompletedCheck() =>
        Assert.Equal(("COMPLETED", "CHECK"), R(("COMPLETED", "PASS"), ("NOT_STARTED", "PREQ_FAIL")));

    [Fact]
    public void HighestWeightNonCompletedState()
    {
        Assert.Equal("NOT_STARTED", R(("COMPLETED", "PASS"), ("KILLED", "KILLED"), ("NOT_STARTED", "n/a")).Item1);
        Assert.Equal("KILLED", R(("COMPLETED", "PASS"), ("KILLED", "KILLED")).Item1);
        Assert.Equal("INCOMPLETE", R(("COMPLETED", "PASS"), ("INCOMPLETE", "KILLED")).Item1);
    }

    [Fact]
    public void WaitingItemsDoNotTurnToplevelIntoCheck()
    {
        Assert.Equal(("NOT_STARTED", "PASS"), R(("COMPLETED", "PASS"), ("NOT_STARTED", "n/a")));
        Assert.Equal(("NOT_STARTED", "n/a"), R(("NOT_STARTED", "n/a"), ("NOT_STARTED", "n/a")));
    }

    [Fact]
    public void UnlistedStatusesLoseToListedOnes() =>
        Assert.Equal("n/a", R(("KILLED", "KILLED"), ("NOT_STARTED", "n/a")).Item2);

    [Fact]
    public void NoItems() => Assert.Equal(("NOT_STARTED", "n/a"), R());
}
