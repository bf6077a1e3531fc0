using Megatest.Core;

namespace Megatest.Core.Tests;

public class DurationSpecTests
{
    [Theory]
    [InlineData("1d 2h 3m 4s", 86400 + 7200 + 180 + 4)]
    [InlineData("20m", 1200)]
    [InlineData("1h 2m 3s", 3723)]
    [InlineData("5s", 5)]
    [InlineData("2d", 172800)]
    [InlineData("1h30m", 5400)]
    [InlineData("  1H  ", 3600)]
    [InlineData("1m 1m", 120)]
    [InlineData("0s", 0)]
    public void ParsesUnits(string spec, int seconds) => Assert.Equal(seconds, DurationSpec.ParseSeconds(spec));

    [Theory]
    [InlineData("15", 15)]
    [InlineData("0", 0)]
    [InlineData("1m 30", 90)]
    public void BareNumberIsSeconds(string spec, int seconds) => Assert.Equal(seconds, DurationSpec.ParseSeconds(spec));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("1x")]
    [InlineData("m")]
    [InlineData("1.5h")]
    [InlineData("-5s")]
    [InlineData("1h and 2m")]
    [InlineData("99999999999d")]
    public void GarbageIsNull(string? spec) => Assert.Null(DurationSpec.ParseSeconds(spec));
}
