namespace Megatest.LogPro.Tests;

public class ValueTests
{
    [Theory]
    [InlineData("temp = 10.5", true, "10.5")]
    [InlineData("temp = 9", true, "9")]
    [InlineData("temp = 11", true, "11")]
    [InlineData("temp = 11.5", false, "11.5")]
    [InlineData("temp = -1e1", false, "-1e1")]
    public void Tolerance(string line, bool passes, string measured)
    {
        var rules = """(expect:value in "LogFileBody" 10 1 "temperature" #/temp = (\S+)/)""";
        var r = Check.Run(rules, Check.Lines("header", line));
        Assert.Equal(passes ? 0 : 1, r.ExitCode);
        var o = r.Rules[0];
        Assert.Equal("value", o.Type);
        Assert.Equal(measured, o.Measured);
        Assert.Equal("10", o.Expected);
        Assert.Equal("1", o.Tolerance);
        Assert.Equal(passes, o.Passed);
    }

    [Theory]
    [InlineData(">", "5", true)]
    [InlineData(">", "3", false)]
    [InlineData("<", "3", true)]
    [InlineData("<=", "4", true)]
    [InlineData(">=", "3.9", false)]
    [InlineData("=", "4", true)]
    [InlineData("=", "4.1", false)]
    public void Comparison(string op, string value, bool passes)
    {
        var rules = $"""(expect:value in "LogFileBody" 4 {op} "speed" #/speed: ([\d.]+)/)""";
        var r = Check.Run(rules, Check.Lines($"speed: {value}"));
        Assert.Equal(passes, r.Rules[0].Passed);
        Assert.Equal(op, r.Rules[0].Operator);
        Assert.Equal(passes ? 0 : 1, r.ExitCode);
    }

    [Fact]
    public void All_values_must_pass()
    {
        var rules = """(expect:value in "LogFileBody" 10 1 "t" #/t=(\d+)/)""";
        var r = Check.Run(rules, Check.Lines("t=10", "t=20", "t=10"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("20", r.Rules[0].Measured);
        Assert.Contains("measured 20", r.Messages[0]);
    }

    [Fact]
    public void No_value_is_a_failure()
    {
        var r = Check.Run("""(expect:value in "LogFileBody" 10 1 "t" #/t=(\d+)/)""", Check.Lines("nothing"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no value", r.Messages[0]);
    }

    [Fact]
    public void Match_selects_the_capture_group()
    {
        var rules = """(expect:value in "LogFileBody" 7 0.5 "second" #/a=(\d+) b=(\d+)/ match: 2)""";
        Assert.Equal(0, Check.Run(rules, Check.Lines("a=1 b=7")).ExitCode);
        Assert.Equal(1, Check.Run(rules, Check.Lines("a=7 b=1")).ExitCode);
    }

    [Fact]
    public void Value_rules_respect_sections()
    {
        var rules = """
            (trigger "R" #/results:/)
            (section "Results" "R" "NoEnd")
            (expect:value in "Results" 1 0 "v" #/v=(\d+)/)
            """;
        var r = Check.Run(rules, Check.Lines("v=9", "results:", "v=1"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("1", r.Rule(2).Measured);
    }
}
