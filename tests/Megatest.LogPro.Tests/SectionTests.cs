namespace Megatest.LogPro.Tests;

public class SectionTests
{
    private const string Sections = """
        (trigger "CompileStart" #/^compile start/)
        (trigger "CompileEnd"   #/^compile end/)
        (section "Compile" "CompileStart" "CompileEnd")
        """;

    [Fact]
    public void In_rules_only_see_lines_while_the_section_is_active()
    {
        var rules = Sections + """
            (expect:error in "Compile" = 0 "compile errors" #/error/)
            """;
        Assert.Equal(0, Check.Run(rules, Check.Lines("error before", "compile start", "ok", "compile end", "error after")).ExitCode);
        var r = Check.Run(rules, Check.Lines("compile start", "an error", "compile end"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("1", r.Rule(3).Measured);
    }

    [Fact]
    public void Not_in_rules_only_see_lines_while_the_section_is_inactive()
    {
        var rules = Sections + """
            (expect:error not-in "Compile" = 0 "errors outside compile" #/error/)
            """;
        Assert.Equal(0, Check.Run(rules, Check.Lines("compile start", "error inside", "compile end")).ExitCode);
        var r = Check.Run(rules, Check.Lines("error before", "compile start", "error inside", "compile end", "error after"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("2", r.Rule(3).Measured);
    }

    [Fact]
    public void Trigger_lines_are_checked_against_the_new_section_state()
    {
        var rules = """
            (trigger "Start" #/BEGIN error/)
            (trigger "End" #/END error/)
            (section "S" "Start" "End")
            (expect:note in "S" > 0 "inside" #/error/)
            (expect:note not-in "S" > 0 "outside" #/error/)
            """;
        var r = Check.Run(rules, Check.Lines("BEGIN error", "END error"));
        Assert.Equal("1", r.Rule(3).Measured); // the start line is inside
        Assert.Equal("1", r.Rule(4).Measured); // the end line is outside
    }

    [Fact]
    public void Section_without_end_trigger_is_active_to_eof()
    {
        var rules = """
            (trigger "Start" #/START/)
            (section "Tail" "Start" "NeverDefined")
            (expect:error in "Tail" = 0 "tail errors" #/error/)
            """;
        var r = Check.Run(rules, Check.Lines("error early", "START", "x", "error late"));
        Assert.Equal("1", r.Rule(2).Measured);
        Assert.Equal(1, r.ExitCode);
    }

    [Fact]
    public void Two_argument_section_is_active_to_eof()
    {
        var rules = """
            (trigger "Start" #/START/)
            (section "Tail" "Start")
            (expect:required in "Tail" > 0 "late" #/late/)
            """;
        Assert.Equal(1, Check.Run(rules, Check.Lines("late", "START")).ExitCode);
        Assert.Equal(0, Check.Run(rules, Check.Lines("START", "late")).ExitCode);
    }

    [Fact]
    public void Section_lists_match_when_any_section_is_active()
    {
        var rules = """
            (trigger "A1" #/a on/)
            (trigger "A0" #/a off/)
            (trigger "B1" #/b on/)
            (trigger "B0" #/b off/)
            (section "A" "A1" "A0")
            (section "B" "B1" "B0")
            (expect:note in (list "A" "B") > 0 "in a or b" #/x/)
            (expect:note not-in (list "A" "B") > 0 "in neither" #/x/)
            """;
        var r = Check.Run(rules, Check.Lines("x", "a on", "x", "a off", "b on", "x", "x", "b off", "x"));
        Assert.Equal("3", r.Rule(5).Measured);
        Assert.Equal("2", r.Rule(6).Measured);
    }

    [Fact]
    public void Logfile_variable_is_the_whole_file()
    {
        var r = Check.Run("""(expect:error in logfile = 0 "e" #/bad/)""", Check.Lines("ok", "bad"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("LogFileBody", r.Rules[0].Section);
    }

    [Fact]
    public void A_trigger_fires_once_by_default()
    {
        var rules = """
            (trigger "On" #/on/)
            (trigger "Off" #/off/)
            (section "S" "On" "Off")
            (expect:note in "S" > 0 "x inside" #/x/)
            """;
        var r = Check.Run(rules, Check.Lines("on", "x", "off", "on", "x", "off"));
        Assert.Equal("1", r.Rule(3).Measured);
        Assert.Equal("1", r.Rule(1).Measured);
    }

    [Fact]
    public void Trigger_with_limit_reopens_a_section_up_to_n_times()
    {
        var rules = """
            (trigger-with-limit "On" 2 #/on/)
            (trigger-with-limit "Off" 2 #/off/)
            (section "S" "On" "Off")
            (expect:note in "S" > 0 "x inside" #/x/)
            """;
        var r = Check.Run(rules, Check.Lines("on", "x", "off", "on", "x", "off", "on", "x", "off"));
        Assert.Equal("2", r.Rule(3).Measured);
        Assert.Equal("2", r.Rule(1).Measured);
    }

    [Fact]
    public void A_required_trigger_that_never_fires_fails()
    {
        var rules = """
            (trigger "Start" #/START/)
            (section "S" "Start" "End")
            """;
        var r = Check.Run(rules, Check.Lines("nothing"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("trigger", r.Rules[0].Type);
        Assert.False(r.Rules[0].Passed);
        Assert.Contains("Start", r.Messages[0]);
        Assert.Equal(0, Check.Run(rules, Check.Lines("START")).ExitCode);
    }

    [Fact]
    public void A_non_required_trigger_may_never_fire()
    {
        var rules = """
            (trigger:non-required "Start" #/START/)
            (section "S" "Start" "End")
            (expect:error in "S" = 0 "e" #/error/)
            """;
        var r = Check.Run(rules, Check.Lines("error but no section"));
        Assert.Equal(0, r.ExitCode);
        Assert.True(r.Rules[0].Passed);
    }

    [Fact]
    public void Triggers_do_not_consume_the_line()
    {
        var rules = """
            (trigger "T" #/ERROR start/)
            (expect:error in "LogFileBody" = 0 "e" #/ERROR/)
            """;
        Assert.Equal(1, Check.Run(rules, Check.Lines("ERROR start")).ExitCode);
    }
}
