namespace Megatest.Scheduling.Tests;

public sealed class SchedulerTests
{
    private static string[] Launched(IEnumerable<Decision> decisions) =>
        [.. decisions.OfType<LaunchDecision>().Select(l => l.Row.ItemPath.Length == 0 ? l.Row.TestName : l.Row.TestName + "/" + l.Row.ItemPath).Order(StringComparer.Ordinal)];

    [Fact]
    public void Decide_LaunchesOnlyTestsWhosePrerequisitesPassed()
    {
        using var f = new PlanFixture().Test("a", "[requirements]\nwaiton b\n").Test("b", "").Test("c", "");
        var plan = f.Plan();
        Assert.Equal(["b", "c"], Launched(PlanFixture.Decide(plan)));
        Assert.Empty(Launched(PlanFixture.Decide(plan)));

        f.Row(plan, "b", "", "COMPLETED", "PASS");
        Assert.Equal(["a"], Launched(PlanFixture.Decide(plan)));
    }

    [Fact]
    public void Decide_MarksPreqFailThenPreqDiscardedDownTheChain()
    {
        using var f = new PlanFixture().Test("d", "").Test("c", "[requirements]\nwaiton d\n").Test("b", "[requirements]\nwaiton c\n");
        var plan = f.Plan();
        PlanFixture.Decide(plan);
        f.Row(plan, "d", "", "COMPLETED", "FAIL");

        var set = PlanFixture.Decide(plan).OfType<SetRowDecision>().Single();
        Assert.Equal(("c", "NOT_STARTED", "PREQ_FAIL"), (set.Row.TestName, set.State, set.Status));
        f.Row(plan, "c", "", set.State, set.Status);

        var next = PlanFixture.Decide(plan).OfType<SetRowDecision>().Single();
        Assert.Equal(("b", "PREQ_DISCARDED"), (next.Row.TestName, next.Status));
        f.Row(plan, "b", "", next.State, next.Status);
        Assert.True(Scheduler.IsComplete(plan));
    }

    [Fact]
    public void Decide_ToplevelModeRunsAfterAFailedPrerequisite()
    {
        using var f = new PlanFixture().Test("w", "").Test("summary", "[requirements]\nwaiton w\nmode toplevel\n");
        var plan = f.Plan();
        PlanFixture.Decide(plan);
        f.Row(plan, "w", "", "COMPLETED", "FAIL");
        Assert.Equal(["summary"], Launched(PlanFixture.Decide(plan)));
    }

    [Fact]
    public void Decide_ZeroItems_EndsNotStartedZeroItemsWithoutLaunching()
    {
        using var f = new PlanFixture("[setup]\nreruns 0\n").Test("g", "[items]\nNADA\n");
        var plan = f.Plan();
        var set = PlanFixture.Decide(plan).OfType<SetRowDecision>().Single();
        Assert.Equal(("g", "NOT_STARTED", "ZERO_ITEMS"), (set.Row.TestName, set.State, set.Status));
        Assert.Empty(Launched([set]));
    }

    [Fact]
    public void Decide_ItemWait_MapsEachItemToItsPrerequisiteItem()
    {
        using var f = new PlanFixture()
            .Test("lib", "[items]\nVIEW layout schematic\n")
            .Test("cells", "[requirements]\nwaiton lib\nmode itemwait\nitemmap /.*\n[itemstable]\nVIEW layout schematic\nCELL ntran ptran\n");
        var plan = f.Plan();
        var expand = PlanFixture.Decide(plan).OfType<ExpandDecision>().Single();
        Assert.Equal("lib", expand.Test.Name);
        f.Row(plan, "lib", "layout", "NOT_STARTED", "n/a");
        f.Row(plan, "lib", "schematic", "NOT_STARTED", "n/a");
        Assert.Equal(["lib/layout", "lib/schematic"], Launched(PlanFixture.Decide(plan)));

        // lib's toplevel RUNNING is enough to expand cells (itemwait); each item then waits for its own lib item.
        f.Row(plan, "lib", "", "RUNNING", "n/a");
        Assert.Equal("cells", PlanFixture.Decide(plan).OfType<ExpandDecision>().Single().Test.Name);
        f.Row(plan, "cells", "layout/ntran", "NOT_STARTED", "n/a");
        f.Row(plan, "cells", "schematic/ptran", "NOT_STARTED", "n/a");
        Assert.Empty(Launched(PlanFixture.Decide(plan)));

        f.Row(plan, "lib", "layout", "COMPLETED", "PASS");
        Assert.Equal(["cells/layout/ntran"], Launched(PlanFixture.Decide(plan)));
    }

    [Fact]
    public void Decide_RespectsTheCapacityTheCoordinatorGrants()
    {
        using var f = new PlanFixture().Test("a", "").Test("b", "").Test("c", "");
        var plan = f.Plan();
        var granted = 0;
        var decisions = Scheduler.Decide(plan, _ => granted++ < 2);
        Assert.Equal(2, Launched(decisions).Length);
        Assert.Single(Launched(Scheduler.Decide(plan, _ => true)));
    }

    [Fact]
    public void Decide_SkipRuleCompletesWithSkip()
    {
        using var f = new PlanFixture().Test("a", "");
        var plan = f.Plan();
        var set = Scheduler.Decide(plan, _ => true, (_, _) => "Skipped: because").OfType<SetRowDecision>().Single();
        Assert.Equal(("COMPLETED", "SKIP", "Skipped: because"), (set.State, set.Status, set.Comment));
    }

    [Fact]
    public void Decide_HigherPriorityLaunchesFirstWhenCapacityIsShort()
    {
        using var f = new PlanFixture().Test("low", "").Test("high", "[requirements]\npriority 10\n");
        var plan = f.Plan();
        var granted = 0;
        Assert.Equal(["high"], Launched(Scheduler.Decide(plan, _ => granted++ < 1)));
    }

    [Fact]
    public void Decide_WithoutCapacity_KeepsReadyRowsAndLaunchesThemInOrderLater()
    {
        using var f = new PlanFixture().Test("low", "").Test("high", "[requirements]\npriority 10\n").Test("g", "[items]\nN 1 2 3\n");
        var plan = f.Plan();
        Assert.Single(PlanFixture.Decide(plan).OfType<ExpandDecision>()); // low and high launched, g expanded
        f.Row(plan, "g", "1", "NOT_STARTED", "n/a");
        f.Row(plan, "g", "2", "NOT_STARTED", "n/a");
        f.Row(plan, "g", "3", "NOT_STARTED", "n/a");

        Assert.Empty(Scheduler.Decide(plan, _ => true, hasCapacity: () => false));
        var granted = 0;
        Assert.Equal(["g/1", "g/2"], Launched(Scheduler.Decide(plan, _ => true, hasCapacity: () => granted++ < 2)));
        Assert.False(plan.Tests["g"].Finished);
        Assert.Equal(["g/3"], Launched(PlanFixture.Decide(plan)));
        Assert.True(plan.Tests["g"].Finished);
    }

    [Fact]
    public void Decide_LooksAgainAtARowMadeUnsettled()
    {
        using var f = new PlanFixture().Test("a", "");
        var plan = f.Plan();
        var launch = Assert.IsType<LaunchDecision>(Assert.Single(PlanFixture.Decide(plan)));
        Assert.Empty(PlanFixture.Decide(plan));

        // As when no agent of its host type is free: the coordinator hands the row back.
        launch.Row.Settled = false;
        Assert.Equal(["a"], Launched(PlanFixture.Decide(plan)));
    }

    [Fact]
    public void Decide_AFanInWaitsForEveryPrerequisiteAndWakesOnTheLast()
    {
        using var f = new PlanFixture().Test("root", "").Test("b1", "[requirements]\nwaiton root\n").Test("b2", "[requirements]\nwaiton root\n")
            .Test("z", "[requirements]\nwaiton b1 b2\n");
        var plan = f.Plan();
        Assert.Equal(["root"], Launched(PlanFixture.Decide(plan)));
        f.Row(plan, "root", "", "COMPLETED", "PASS");
        Assert.Equal(["b1", "b2"], Launched(PlanFixture.Decide(plan)));
        f.Row(plan, "b1", "", "COMPLETED", "PASS");
        Assert.Empty(PlanFixture.Decide(plan));
        f.Row(plan, "b2", "", "COMPLETED", "PASS");
        Assert.Equal(["z"], Launched(PlanFixture.Decide(plan)));
        f.Row(plan, "z", "", "COMPLETED", "PASS");
        Assert.True(Scheduler.IsComplete(plan));
    }

    [Fact]
    public void Plan_RefusesAWaitonCycleNamingIt()
    {
        using var f = new PlanFixture().Test("a", "[requirements]\nwaiton b\n").Test("b", "[requirements]\nwaiton a\n");
        var ex = Assert.Throws<PlanException>(() => f.Plan());
        Assert.Contains("a -> b -> a", ex.Message, StringComparison.Ordinal);
    }
}
