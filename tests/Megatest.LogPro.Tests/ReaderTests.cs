namespace Megatest.LogPro.Tests;

public class ReaderTests
{
    [Fact]
    public void Comments_strings_numbers_and_regex_literals_are_read()
    {
        var rules = """
            ; line comment
            #| block
               comment |#
            #;(expect:error in "LogFileBody" = 0 "datum comment" #/never/)
            (expect:error in "LogFileBody" = 0.0 "quote \" and ; inside" #/Err\/or/i) ; trailing
            """;
        var r = Check.Run(rules, Check.Lines("x err/OR y"));
        Assert.Single(r.Rules);
        Assert.Equal("quote \" and ; inside", r.Rules[0].Description);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("1", r.Rules[0].Measured);
    }

    [Fact]
    public void Case_sensitive_regex_without_i_flag()
    {
        var rules = """(expect:error in "LogFileBody" = 0 "e" #/ERROR/)""";
        Assert.Equal(0, Check.Run(rules, Check.Lines("error lower case")).ExitCode);
        Assert.Equal(1, Check.Run(rules, Check.Lines("an ERROR here")).ExitCode);
    }

    [Fact]
    public void List_of_patterns_matches_any()
    {
        var rules = """(expect:error in "LogFileBody" = 0 "e" (list #/alpha/ #/beta/))""";
        Assert.Equal(0, Check.Run(rules, Check.Lines("gamma")).ExitCode);
        var r = Check.Run(rules, Check.Lines("alpha", "beta", "gamma"));
        Assert.Equal("2", r.Rules[0].Measured);
    }

    [Fact]
    public void Quoted_list_of_patterns_and_string_patterns_are_accepted()
    {
        var r = Check.Run("""(expect:error in "LogFileBody" = 0 "e" '(#/alpha/ "be+ta"))""", Check.Lines("alpha", "beeeta"));
        Assert.Equal("2", r.Rules[0].Measured);
    }

    [Fact]
    public void Posix_character_classes_are_translated()
    {
        var r = Check.Run("""(expect:required in "LogFileBody" > 0 "d" #/took [[:digit:]]+ s/)""", Check.Lines("took 42 s"));
        Assert.Equal(0, r.ExitCode);
    }

    [Theory]
    [InlineData("(define x 1)", 1, "define")]
    [InlineData("\n\n(for-each (lambda (x) x) (list 1 2))", 3, "for-each")]
    [InlineData("(expect:error in \"LogFileBody\" = 0 \"ok\" #/a/)\n(let ((a 1)) a)", 2, "let")]
    public void Unsupported_forms_name_file_and_line(string rules, int line, string form)
    {
        var ex = Assert.Throws<LogProSyntaxException>(() => RuleSet.Parse(rules, "my.logpro"));
        Assert.Equal("my.logpro", ex.FileName);
        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"my.logpro:{line}: ", ex.Message);
        Assert.Contains(form, ex.Message);
    }

    [Theory]
    [InlineData("(expect:error in \"LogFileBody\" = 0 \"x\" #/a/", 1, "unclosed")]
    [InlineData("\n(expect:error in \"LogFileBody\" = 0 \"x #/a/)", 2, "unterminated string")]
    [InlineData("\n\n(expect:error in \"LogFileBody\" = 0 \"x\" #/a(/)", 3, "invalid regular expression")]
    [InlineData("(expect:error in \"LogFileBody\" = 0 \"x\" #/abc)", 1, "unterminated regular expression")]
    [InlineData(")", 1, "unexpected ')'")]
    [InlineData("(expect:bogus in \"LogFileBody\" = 0 \"x\" #/a/)", 1, "unknown rule type")]
    [InlineData("(expect:error in \"NoSuch\" = 0 \"x\" #/a/)", 1, "\"NoSuch\" is not defined")]
    [InlineData("(expect:error in \"LogFileBody\" ~ 0 \"x\" #/a/)", 1, "operator")]
    [InlineData("(expect:error in \"LogFileBody\" = zero \"x\" #/a/)", 1, "count must be a number")]
    [InlineData("(expect:error inside \"LogFileBody\" = 0 \"x\" #/a/)", 1, "'in' or 'not-in'")]
    [InlineData("(expect:error in \"LogFileBody\" = 0 \"x\")", 1, "missing pattern")]
    [InlineData("(expect:error in \"LogFileBody\" = 0 \"x\" #/a/ expires: \"tomorrow\")", 1, "expires:")]
    [InlineData("(expect:error in \"LogFileBody\" = 0 \"x\" #/a/ colour: \"red\")", 1, "unknown keyword")]
    [InlineData("(expect:error in \"LogFileBody\" = 0 \"x\" #/a/ hook: \"nohook\")", 1, "hook \"nohook\" is not defined")]
    [InlineData("(section \"S\" \"nostart\" \"end\")", 1, "start trigger \"nostart\" is not defined")]
    [InlineData("reviewed 09/10/2011, by Matt", 1, "top level")]
    [InlineData("(trigger \"t\")", 1, "no pattern")]
    [InlineData("(trigger-with-limit \"t\" 0 #/a/)", 1, "positive whole number")]
    [InlineData("`(a)", 1, "quasiquote")]
    [InlineData("(expect:value in \"LogFileBody\" 1 fuzzy \"v\" #/v=(\\d+)/)", 1, "tolerance")]
    public void Syntax_errors_name_file_and_line(string rules, int line, string fragment)
    {
        var ex = Assert.Throws<LogProSyntaxException>(() => RuleSet.Parse(rules, "r.logpro"));
        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"r.logpro:{line}: ", ex.Message);
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void Empty_rule_file_passes_everything()
    {
        var r = Check.Run("; nothing\n", Check.Lines("ERROR"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("PASS", r.Comment);
        Assert.Empty(r.Rules);
    }
}
