namespace Megatest.Storage.Tests;

public sealed class TestDataStatusTests
{
    [Theory]
    [InlineData("10", "10", "0", "pass")]
    [InlineData("10.1", "10", "0.1", "pass")]
    [InlineData("9.9", "10", "0.1", "pass")]
    [InlineData("10.11", "10", "0.1", "fail")]
    [InlineData("9.89", "10", "0.1", "fail")]
    [InlineData("1e3", "1000", "1", "pass")]
    [InlineData("-5", "-4", "1", "pass")]
    [InlineData(" 7 ", " 7", "0 ", "pass")]
    public void Compute_NumericTolerance_IsABand(string value, string expected, string tol, string status)
    {
        Assert.Equal(status, TestDataStatus.Compute(value, expected, tol));
    }

    [Theory]
    [InlineData("5", "3", ">", "pass")]
    [InlineData("3", "3", ">", "fail")]
    [InlineData("3", "3", ">=", "pass")]
    [InlineData("2", "3", ">=", "fail")]
    [InlineData("2", "3", "<", "pass")]
    [InlineData("3", "3", "<", "fail")]
    [InlineData("3", "3", "<=", "pass")]
    [InlineData("4", "3", "<=", "fail")]
    public void Compute_ComparisonTolerance_ComparesValueToExpected(string value, string expected, string tol, string status)
    {
        Assert.Equal(status, TestDataStatus.Compute(value, expected, tol));
    }

    [Theory]
    [InlineData("1", "pass", "0")]
    [InlineData("8", "8mA", "1")]
    [InlineData("high", "1", "0")]
    [InlineData(null, "1", "0")]
    [InlineData("1", null, "0")]
    [InlineData("1", "1", null)]
    [InlineData("1", "1", "  ")]
    [InlineData("NaN", "1", "1")]
    public void Compute_NotComputable_ReturnsNull(string? value, string? expected, string? tol)
    {
        Assert.Null(TestDataStatus.Compute(value, expected, tol));
    }

    [Theory]
    [InlineData("=")]
    [InlineData("abc")]
    [InlineData("!=")]
    public void Compute_OtherToleranceText_ReturnsError(string tol)
    {
        var status = TestDataStatus.Compute("1", "1", tol);

        Assert.NotNull(status);
        Assert.StartsWith("ERROR:", status);
        Assert.Contains(tol, status);
    }
}
