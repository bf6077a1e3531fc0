using Megatest.Core;

namespace Megatest.Core.Tests;

public class WaitonCheckTests
{
    private static readonly List<KeyValuePair<string, string>> s_none = [];

    private static Func<string, RowStateStatus?> Rows(params (string Item, string State, string Status)[] rows) =>
        item => rows.Where(r => r.Item == item).Select(r => new RowStateStatus(r.State, r.Status)).FirstOrDefault();

    private static WaitonOutcome Normal(params (string, string, string)[] rows) =>
        WaitonCheck.Evaluate(WaitMode.Normal, "", "W", ItemMap.Empty, Rows(rows));

    [Fact]
    public void MissingRowIsPending() => Assert.Equal(WaitonOutcome.Pending, Normal());

    [Theory]
    [InlineData("PASS")]
    [InlineData("WARN")]
    [InlineData("CHECK")]
    [InlineData("WAIVED")]
    [InlineData("SKIP")]
    public void NormalMetByCompletedOk(string status) =>
        Assert.Equal(WaitonOutcome.Met, Normal(("", "COMPLETED", status)));

    [Theory]
    [InlineData("COMPLETED", "FAIL")]
    [InlineData("COMPLETED", "ABORT")]
    [InlineData("INCOMPLETE", "KILLED")]
    [InlineData("KILLED", "KILLED")]
    public void NormalFailedPrerequisite(string state, string status) =>
        Assert.Equal(WaitonOutcome.Failed, Normal(("", state, status)));

    [Theory]
    [InlineData("PREQ_FAIL")]
    [InlineData("PREQ_DISCARDED")]
    [InlineData("ZERO_ITEMS")]
    [InlineData("TEN_STRIKES")]
    public void NormalDiscardedPrerequisite(string status) =>
        Assert.Equal(WaitonOutcome.Discarded, Normal(("", "NOT_STARTED", status)));

    [Theory]
    [InlineData("NOT_STARTED", "n/a")]
    [InlineData("NOT_STARTED", "KEEP_TRYING")]
    [InlineData("NOT_STARTED", "PASS")]
    [InlineData("RUNNING", "n/a")]
    [InlineData("LAUNCHED", "LAUNCHED")]
    public void NormalPending(string state, string status) =>
        Assert.Equal(WaitonOutcome.Pending, Normal(("", state, status)));

    [Fact]
    public void NormalIgnoresItemRows() =>
        Assert.Equal(WaitonOutcome.Pending, WaitonCheck.Evaluate(WaitMode.Normal, "layout", "W", ItemMap.Empty,
            Rows(("", "RUNNING", "n/a"), ("layout", "COMPLETED", "PASS"))));

    [Theory]
    [InlineData("COMPLETED", "FAIL", WaitonOutcome.Met)]
    [InlineData("COMPLETED", "PASS", WaitonOutcome.Met)]
    [InlineData("KILLED", "KILLED", WaitonOutcome.Met)]
    [InlineData("NOT_STARTED", "PREQ_DISCARDED", WaitonOutcome.Met)]
    [InlineData("NOT_STARTED", "n/a", WaitonOutcome.Pending)]
    [InlineData("RUNNING", "n/a", WaitonOutcome.Pending)]
    [InlineData("INCOMPLETE", "KILLED", WaitonOutcome.Pending)]
    public void ToplevelMode(string state, string status, WaitonOutcome expected) =>
        Assert.Equal(expected, WaitonCheck.Evaluate(WaitMode.Toplevel, "", "W", ItemMap.Empty, Rows(("", state, status))));

    [Fact]
    public void ItemWaitUsesMappedItem()
    {
        var map = ItemMap.Parse("/.*", s_none);
        var rows = Rows(("", "RUNNING", "n/a"), ("layout", "COMPLETED", "PASS"), ("schematic", "RUNNING", "n/a"));
        Assert.Equal(WaitonOutcome.Met, WaitonCheck.Evaluate(WaitMode.ItemWait, "layout/ntran", "genlib", map, rows));
        Assert.Equal(WaitonOutcome.Pending, WaitonCheck.Evaluate(WaitMode.ItemWait, "schematic/ntran", "genlib", map, rows));
    }

    [Fact]
    public void ItemWaitFailedMappedItem()
    {
        var rows = Rows(("", "RUNNING", "n/a"), ("a", "COMPLETED", "FAIL"));
        Assert.Equal(WaitonOutcome.Failed, WaitonCheck.Evaluate(WaitMode.ItemWait, "a", "W", ItemMap.Empty, rows));
    }

    [Fact]
    public void ItemWaitOnNonItemizedTestUsesToplevel()
    {
        Assert.Equal(WaitonOutcome.Met, WaitonCheck.Evaluate(WaitMode.ItemWait, "layout/ntran", "aggregate",
            ItemMap.Empty, Rows(("", "COMPLETED", "PASS"))));
        Assert.Equal(WaitonOutcome.Pending, WaitonCheck.Evaluate(WaitMode.ItemWait, "layout/ntran", "aggregate",
            ItemMap.Empty, Rows(("", "RUNNING", "n/a"))));
    }

    [Theory]
    [InlineData("RUNNING", "n/a", WaitonOutcome.Met)]
    [InlineData("COMPLETED", "PASS", WaitonOutcome.Met)]
    [InlineData("COMPLETED", "FAIL", WaitonOutcome.Failed)]
    [InlineData("NOT_STARTED", "n/a", WaitonOutcome.Pending)]
    public void ItemWaitToplevelQuirkRunningIsEnough(string state, string status, WaitonOutcome expected) =>
        Assert.Equal(expected, WaitonCheck.Evaluate(WaitMode.ItemWait | WaitMode.Exclusive, "", "W", ItemMap.Empty,
            Rows(("", state, status))));

    [Fact]
    public void ToplevelFlagTakesPrecedenceOverItemWait() =>
        Assert.Equal(WaitonOutcome.Met, WaitonCheck.Evaluate(WaitMode.Toplevel | WaitMode.ItemWait, "x", "W",
            ItemMap.Empty, Rows(("", "COMPLETED", "FAIL"))));

    [Fact]
    public void BadNotStartedDefinition()
    {
        Assert.True(WaitonCheck.IsBadNotStarted(new RowStateStatus("NOT_STARTED", "ZERO_ITEMS")));
        Assert.False(WaitonCheck.IsBadNotStarted(new RowStateStatus("NOT_STARTED", "KEEP_TRYING")));
        Assert.False(WaitonCheck.IsBadNotStarted(new RowStateStatus("NOT_STARTED", "n/a")));
        Assert.False(WaitonCheck.IsBadNotStarted(new RowStateStatus("COMPLETED", "PREQ_FAIL")));
    }
}
