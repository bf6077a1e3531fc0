using System.Text;

namespace Megatest.LogPro.Tests;

public class StreamingTests
{
    [Fact]
    public void Many_lines_in_small_chunks_are_counted_exactly()
    {
        var rules = """
            (expect:note in "LogFileBody" > 0 "every 100th" #/^marker \d+$/)
            (expect:error in "LogFileBody" = 0 "errors" #/ERROR/)
            """;
        var set = RuleSet.Parse(rules, "r.logpro");
        var r = new LogChecker(set).Run(new GeneratedReader(100_000, i => i % 100 == 0 ? $"marker {i}" : $"plain line {i} ERRO R"), null, null);
        Assert.Equal("1000", r.Rules[0].Measured);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void Lines_longer_than_the_buffer_are_handled()
    {
        var longLine = new string('x', 300_000) + " ERROR " + new string('y', 100_000);
        var r = Check.Run("""(expect:error in "LogFileBody" = 0 "e" #/ERROR/)""", "a\n" + longLine + "\nb\n");
        Assert.Equal("1", r.Rules[0].Measured);
    }

    [Fact]
    public void Crlf_lines_match_dollar_anchors()
    {
        var r = Check.Run("""(expect:required in "LogFileBody" > 0 "end" #/done$/)""", "x\r\ndone\r\n");
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void Patterns_without_literal_disable_the_prefilter_but_still_match()
    {
        var rules = """
            (expect:error in "LogFileBody" = 0 "empty lines" #/^$/)
            (expect:note in "LogFileBody" > 0 "digits" #/\d+/)
            """;
        var set = RuleSet.Parse(rules, "r.logpro");
        var checker = new LogChecker(set);
        Assert.Null(checker.Prefilter);
        var r = checker.Run(new StringReader("a\n\n1\n"), null, null);
        Assert.Equal("1", r.Rules[0].Measured);
        Assert.Equal("1", r.Rules[1].Measured);
    }

    [Fact]
    public void Prefilter_and_plain_matching_agree()
    {
        var withLiterals = """
            (trigger "S" #/section start/)
            (section "Sec" "S" "E")
            (trigger "E" #/section end/)
            (expect:ignore in "LogFileBody" < 999 "ign" #/^\/\/.*error/)
            (expect:warning in "Sec" = 0 "w" #/warn(ing)?/i)
            (expect:error in "LogFileBody" = 0 "e" (list #/ERROR/ #/fatal:\s+\w+/i))
            """;
        var set = RuleSet.Parse(withLiterals, "r.logpro");
        var checker = new LogChecker(set);
        Assert.NotNull(checker.Prefilter);
        var noPrefilter = RuleSet.Parse(withLiterals + "\n(expect:note in \"LogFileBody\" < 0 \"x\" #/^.{3}$/)", "r.logpro");
        var plain = new LogChecker(noPrefilter);
        Assert.Null(plain.Prefilter);

        var rnd = new Random(1234);
        string[] words = ["error", "ERROR", "// error", "warn", "WARNING", "Fatal:   x", "section start", "section end", "ok", "fine", "xyz"];
        var sb = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            sb.Append(words[rnd.Next(words.Length)]).Append(' ').Append(words[rnd.Next(words.Length)]).Append('\n');
        }

        var log = sb.ToString();
        var a = checker.Run(new StringReader(log), null, null);
        var b = plain.Run(new StringReader(log), null, null);
        Assert.Equal(a.Rules.Select(o => o.Measured), b.Rules.Take(a.Rules.Count).Select(o => o.Measured));
        Assert.NotEqual("0", a.Rules.Single(o => o.Description == "e").Measured);
    }

    [Fact]
    public void Input_can_be_checked_twice_with_the_same_checker()
    {
        var checker = new LogChecker(RuleSet.Parse("""(expect:error in "LogFileBody" = 0 "e" #/ERROR/)""", "r"));
        Assert.Equal(1, checker.Run(new StringReader("ERROR\n"), null, null).ExitCode);
        Assert.Equal(0, checker.Run(new StringReader("ok\n"), null, null).ExitCode);
    }
}
