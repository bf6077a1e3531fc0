namespace Megatest.Storage.Tests;

public sealed class ToplevelRollupTests
{
    private static (string State, string Status) Rollup(params string[] items) =>
        ToplevelRollup.Compute(items.Select(i => i.Split('/', 2)).Select(p => (p[0], p[1])));

    [Theory]
    [InlineData("COMPLETED/PASS", "COMPLETED/PASS", "COMPLETED/PASS")]
    [InlineData("COMPLETED/FAIL", "COMPLETED/PASS", "COMPLETED/FAIL")]
    [InlineData("COMPLETED/WARN", "COMPLETED/PASS", "COMPLETED/WARN")]
    [InlineData("RUNNING/PASS", "RUNNING/n/a", "COMPLETED/PASS", "NOT_STARTED/n/a")]
    [InlineData("RUNNING/PASS", "LAUNCHED/n/a", "COMPLETED/PASS")]
    [InlineData("RUNNING/n/a", "REMOTEHOSTSTART/n/a", "NOT_STARTED/n/a")]
    [InlineData("COMPLETED/CHECK", "COMPLETED/PASS", "NOT_STARTED/PREQ_FAIL")]
    [InlineData("COMPLETED/CHECK", "NOT_STARTED/ZERO_ITEMS")]
    [InlineData("RUNNING/CHECK", "RUNNING/n/a", "NOT_STARTED/PREQ_FAIL")]
    [InlineData("NOT_STARTED/CHECK", "COMPLETED/PASS", "NOT_STARTED/n/a")]
    [InlineData("KILLED/PASS", "COMPLETED/PASS", "KILLED/KILLED")] // KILLED weighs 0 as a status (SPEC §6.1)
    [InlineData("COMPLETED/PASS", "COMPLETED/PASS", "COMPLETED/DEAD")] // so does plain DEAD; only "STUCK/DEAD" weighs 7
    [InlineData("COMPLETED/STUCK/DEAD", "COMPLETED/PASS", "COMPLETED/STUCK/DEAD")]
    [InlineData("NOT_STARTED/CHECK", "KILLED/KILLED", "NOT_STARTED/n/a")]
    [InlineData("COMPLETED/ABORT", "COMPLETED/FAIL", "COMPLETED/ABORT", "COMPLETED/WAIVED")]
    [InlineData("COMPLETED/CHECK", "COMPLETED/WAIVED", "COMPLETED/CHECK", "COMPLETED/SKIP")]
    [InlineData("COMPLETED/PASS", "COMPLETED/AUTO", "COMPLETED/PASS")]
    [InlineData("COMPLETED/SKIP", "COMPLETED/SKIP", "COMPLETED/PASS")]
    public void Compute_FollowsSpec64(string expected, params string[] items)
    {
        var (state, status) = Rollup(items);

        Assert.Equal(expected, state + "/" + status);
    }

    [Theory]
    [InlineData("n/a")]
    [InlineData("na")]
    [InlineData("PASS")]
    [InlineData("FAIL")]
    [InlineData("WARN")]
    [InlineData("CHECK")]
    [InlineData("WAIVED")]
    [InlineData("DEAD")]
    [InlineData("SKIP")]
    public void Compute_NotStartedWithAcceptableStatus_IsNotBadNotStarted(string status)
    {
        Assert.Equal(("NOT_STARTED", "CHECK"), Rollup("COMPLETED/PASS", "NOT_STARTED/" + status));
    }

    [Theory]
    [InlineData("PREQ_DISCARDED")]
    [InlineData("BLOCKED")]
    [InlineData("TEN_STRIKES")]
    public void Compute_NotStartedWithOtherStatus_IsBadNotStarted(string status)
    {
        Assert.Equal(("COMPLETED", "CHECK"), Rollup("COMPLETED/PASS", "NOT_STARTED/" + status));
    }

    [Fact]
    public void Compute_NoItems_IsCompletedNa()
    {
        Assert.Equal(("COMPLETED", "n/a"), Rollup());
    }
}
