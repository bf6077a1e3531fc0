namespace Megatest.LogPro.Tests;

public class RuleTypeTests
{
    [Theory]
    [InlineData("error", 1, "FAIL")]
    [InlineData("required", 1, "FAIL")]
    [InlineData("warning", 2, "WARN")]
    [InlineData("warn", 2, "WARN")]
    [InlineData("required-warn", 2, "WARN")]
    [InlineData("check", 3, "CHECK")]
    [InlineData("waive", 4, "WAIVE")]
    [InlineData("waived", 4, "WAIVE")]
    [InlineData("waiver", 4, "WAIVE")]
    [InlineData("abort", 5, "ABORT")]
    [InlineData("skip", 6, "SKIP")]
    [InlineData("ignore", 0, "PASS")]
    [InlineData("note", 0, "PASS")]
    public void A_failing_rule_of_each_type_gives_its_exit_code(string type, int code, string status)
    {
        var rules = $"""(expect:{type} in "LogFileBody" = 0 "the {type} rule" #/boom/)""";
        var failing = Check.Run(rules, Check.Lines("a", "boom", "c"));
        Assert.Equal(code, failing.ExitCode);
        Assert.Equal(status, failing.Status);
        Assert.False(failing.Rules[0].Passed);
        var passing = Check.Run(rules, Check.Lines("a", "c"));
        Assert.Equal(0, passing.ExitCode);
        Assert.True(passing.Rules[0].Passed);
    }

    [Fact]
    public void Plain_expect_is_an_error_rule()
    {
        var rules = """(expect in "LogFileBody" = 0 "plain" #/boom/)""";
        var r = Check.Run(rules, Check.Lines("boom"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error", r.Rules[0].Type);
    }

    [Fact]
    public void Required_rule_fails_when_pattern_never_seen()
    {
        var rules = """(expect:required in "LogFileBody" > 0 "Done" #/All done/)""";
        Assert.Equal(1, Check.Run(rules, Check.Lines("starting")).ExitCode);
        Assert.Equal(0, Check.Run(rules, Check.Lines("starting", "All done")).ExitCode);
    }

    [Theory]
    [InlineData("=", 2, true)]
    [InlineData("=", 3, false)]
    [InlineData(">", 1, true)]
    [InlineData(">", 2, false)]
    [InlineData("<", 3, true)]
    [InlineData("<", 2, false)]
    [InlineData(">=", 2, true)]
    [InlineData(">=", 3, false)]
    [InlineData("<=", 2, true)]
    [InlineData("<=", 1, false)]
    public void Count_operators(string op, int count, bool passes)
    {
        var rules = $"""(expect:error in "LogFileBody" {op} {count} "two hits" #/hit/)""";
        var r = Check.Run(rules, Check.Lines("hit", "miss", "hit"));
        Assert.Equal(passes, r.Rules[0].Passed);
        Assert.Equal(passes ? 0 : 1, r.ExitCode);
        Assert.Equal(op, r.Rules[0].Operator);
        Assert.Equal(count.ToString(), r.Rules[0].Expected);
        Assert.Equal("2", r.Rules[0].Measured);
    }

    public static TheoryData<string[], int> Precedence => new()
    {
        { ["skip", "abort", "check", "error", "warning", "waive"], 6 },
        { ["abort", "check", "error", "warning", "waive"], 5 },
        { ["check", "error", "warning", "waive"], 3 },
        { ["error", "warning", "waive"], 1 },
        { ["required", "warning"], 1 },
        { ["warning", "waive"], 2 },
        { ["waive", "ignore", "note"], 4 },
        { ["waive", "skip"], 6 },
        { ["ignore", "note"], 0 },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public void Precedence_table(string[] failingTypes, int expected)
    {
        var rules = string.Join("\n", failingTypes.Select((t, i) => $"""(expect:{t} in "LogFileBody" = 0 "rule {t}" #/tok{i}/)"""));
        var log = Check.Lines(failingTypes.Select((_, i) => $"tok{i}").ToArray());
        var r = Check.Run(rules, log);
        Assert.Equal(expected, r.ExitCode);
        Assert.Equal(CheckResult.StatusFor(expected), r.Status);
    }

    [Fact]
    public void Earliest_defined_rule_gets_the_line()
    {
        var rules = """
            (expect:ignore  in "LogFileBody" < 99 "benign" #/error: none/)
            (expect:warning in "LogFileBody" = 0 "warn" #/warn/)
            (expect:error   in "LogFileBody" = 0 "Any error" #/error/i)
            """;
        var r = Check.Run(rules, Check.Lines("error: none", "error: none warn", "fine"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("2", r.Rule(1).Measured);
        Assert.Equal("0", r.Rule(3).Measured);

        var reversed = """
            (expect:error   in "LogFileBody" = 0 "Any error" #/error/i)
            (expect:ignore  in "LogFileBody" < 99 "benign" #/error: none/)
            """;
        var r2 = Check.Run(reversed, Check.Lines("error: none"));
        Assert.Equal(1, r2.ExitCode);
        Assert.Equal("0", r2.Rule(2).Measured);
    }

    [Fact]
    public void Failed_ignore_rule_is_reported_but_does_not_change_the_result()
    {
        var rules = """(expect:ignore in "LogFileBody" < 2 "few" #/x/)""";
        var r = Check.Run(rules, Check.Lines("x", "x", "x"));
        Assert.Equal(0, r.ExitCode);
        Assert.False(r.Rules[0].Passed);
        Assert.Equal("PASS", r.Comment);
        Assert.Equal(["few: expected count < 2, got 3 (rule-1 expect:ignore)"], r.Messages);
    }

    [Fact]
    public void Messages_one_per_failed_rule_most_severe_first_and_comment()
    {
        var rules = """
            (expect:warning in "LogFileBody" = 0 "Any warning" #/warn/)
            (expect:error   in "LogFileBody" = 0 "Any error" #/ERROR/)
            (expect:required in "LogFileBody" > 0 "Done" #/done/)
            """;
        var r = Check.Run(rules + "\n(expect:note in \"LogFileBody\" > 0 \"a note\" #/never/)", Check.Lines("warn", "ERROR"));
        Assert.Equal(4, r.Messages.Count);
        Assert.StartsWith("a note", r.Messages[3]);
        Assert.StartsWith("Any error", r.Messages[0]);
        Assert.StartsWith("Done", r.Messages[1]);
        Assert.StartsWith("Any warning", r.Messages[2]);
        Assert.Equal("FAIL: " + r.Messages[0], r.Comment);
        Assert.Equal("PASS", Check.Run(rules, Check.Lines("done")).Comment);
    }

    [Fact]
    public void Expired_rules_are_not_applied()
    {
        var rules = """
            (expect:waive in "LogFileBody" < 99 "known issue" #/ERROR 42/ expires: "01/31/2026")
            (expect:error in "LogFileBody" = 0 "Any error" #/ERROR/)
            """;
        var log = Check.Lines("ERROR 42");
        var before = Check.Run(rules, log, today: new DateTime(2026, 1, 31));
        Assert.Equal(0, before.ExitCode);
        Assert.Equal("1", before.Rule(1).Measured);
        var after = Check.Run(rules, log, today: new DateTime(2026, 2, 1));
        Assert.Equal(1, after.ExitCode);
        Assert.True(after.Rule(1).Passed);
        Assert.Equal("1", after.Rule(2).Measured);
    }

    [Fact]
    public void Expired_required_rule_does_not_fail()
    {
        var rules = """(expect:required in "LogFileBody" > 0 "old" #/gone/ expires: "2020-01-01")""";
        Assert.Equal(0, Check.Run(rules, Check.Lines("x"), today: new DateTime(2026, 1, 1)).ExitCode);
        Assert.Equal(1, Check.Run(rules, Check.Lines("x"), today: new DateTime(2019, 12, 31)).ExitCode);
    }

    [Fact]
    public void Class_keyword_is_accepted_and_used_in_html()
    {
        using var dir = new Megatest.Testing.TempDir("lp");
        var html = Path.Combine(dir.Path, "s.html");
        var rules = """(expect:note in "LogFileBody" > 0 "n" #/note me/ class: "fancy")""";
        Assert.Equal(0, Check.Run(rules, Check.Lines("note me"), htmlPath: html).ExitCode);
        Assert.Contains("class=\"fancy\"", File.ReadAllText(html));
    }
}
