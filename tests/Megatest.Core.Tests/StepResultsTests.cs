using Megatest.Core;

namespace Megatest.Core.Tests;

public class StepResultsTests
{
    [Theory]
    [InlineData(0, "PASS")]
    [InlineData(1, "FAIL")]
    [InlineData(2, "WARN")]
    [InlineData(3, "CHECK")]
    [InlineData(4, "WAIVED")]
    [InlineData(5, "ABORT")]
    [InlineData(6, "SKIP")]
    [InlineData(7, "FAIL")]
    [InlineData(123, "FAIL")]
    [InlineData(-1, "FAIL")]
    public void LogproCodes(int code, string status) => Assert.Equal(status, StepResults.StatusForExit(code, true));

    [Theory]
    [InlineData(0, "PASS")]
    [InlineData(1, "FAIL")]
    [InlineData(2, "FAIL")]
    [InlineData(3, "FAIL")]
    [InlineData(6, "FAIL")]
    [InlineData(123, "FAIL")]
    public void PlainCodes(int code, string status) => Assert.Equal(status, StepResults.StatusForExit(code, false));

    [Theory]
    [InlineData(0, true, true)]
    [InlineData(0, false, true)]
    [InlineData(2, true, true)]
    [InlineData(2, false, false)]
    [InlineData(1, true, false)]
    [InlineData(3, true, false)]
    [InlineData(4, true, false)]
    [InlineData(5, true, false)]
    [InlineData(6, true, false)]
    [InlineData(123, false, false)]
    public void ContinuesOnlyAfterGoodSteps(int code, bool logpro, bool continues) =>
        Assert.Equal(continues, StepResults.ContinuesAfter(code, logpro));

    [Theory]
    [InlineData("PASS", "PASS", "PASS")]
    [InlineData("PASS", "WARN", "WARN")]
    [InlineData("PASS", "FAIL", "FAIL")]
    [InlineData("PASS", "CHECK", "CHECK")]
    [InlineData("PASS", "SKIP", "SKIP")]
    [InlineData("n/a", "CHECK", "CHECK")]
    [InlineData("", "WAIVED", "WAIVED")]
    [InlineData("-", "ABORT", "ABORT")]
    [InlineData("WARN", "PASS", "WARN")]
    [InlineData("WARN", "WARN", "WARN")]
    [InlineData("WARN", "FAIL", "FAIL")]
    public void CombineRules(string previous, string step, string combined) =>
        Assert.Equal(combined, StepResults.Combine(previous, step));

    [Theory]
    [InlineData("CHECK")]
    [InlineData("ABORT")]
    [InlineData("SKIP")]
    [InlineData("WAIVED")]
    public void WarnQuirkMasksLaterNonFailStatuses(string step) =>
        Assert.Equal("WARN", StepResults.Combine("WARN", step));

    [Fact]
    public void CombineAfterUnreachableRollupTakesWorse()
    {
        Assert.Equal("FAIL", StepResults.Combine("CHECK", "FAIL"));
        Assert.Equal("CHECK", StepResults.Combine("CHECK", "PASS"));
    }

    [Fact]
    public void CombineFoldsAStepSequence()
    {
        string[] steps = ["PASS", "WARN", "PASS", "CHECK"];
        Assert.Equal("WARN", steps.Aggregate("n/a", StepResults.Combine));
    }

    [Theory]
    [InlineData(0, false, "PASS")]
    [InlineData(0, true, "AUTO")]
    [InlineData(1, false, "FAIL")]
    [InlineData(1, true, "FAIL")]
    [InlineData(2, false, "WARN")]
    [InlineData(2, true, "AUTO-WARN")]
    [InlineData(3, false, "CHECK")]
    [InlineData(4, false, "WAIVED")]
    [InlineData(5, false, "ABORT")]
    [InlineData(6, false, "SKIP")]
    [InlineData(6, true, "SKIP")]
    [InlineData(7, false, "FAIL")]
    [InlineData(255, true, "FAIL")]
    public void RollupCodes(int code, bool auto, string status) =>
        Assert.Equal(status, StepResults.StatusForRollupCode(code, auto));

    [Theory]
    [InlineData("PASS", 0)]
    [InlineData("AUTO", 0)]
    [InlineData("FAIL", 1)]
    [InlineData("WARN", 2)]
    [InlineData("AUTO-WARN", 2)]
    [InlineData("CHECK", 3)]
    [InlineData("WAIVED", 4)]
    [InlineData("ABORT", 5)]
    [InlineData("SKIP", 6)]
    [InlineData("n/a", 1)]
    public void RollupCodeForStatusInvertsMapping(string status, int code) =>
        Assert.Equal(code, StepResults.RollupCodeForStatus(status));
}
