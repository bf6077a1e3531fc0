using Megatest.Testing;

namespace Megatest.LogPro.Tests;

public class ReportTests
{
    private const string Rules = """
        (expect:ignore   in "LogFileBody" < 99 "benign" #/^\/\/.*error/)
        (expect:warning  in "LogFileBody" = 0 "Any warning" #/warn/)
        (expect:error    in "LogFileBody" = 0 "Any error" (list #/ERROR/ #/error/))
        (expect:value    in "LogFileBody" 5 1 "size" #/size=(\d+)/)
        """;

    [Fact]
    public void Dat_file_has_rule_sections_and_final()
    {
        using var dir = new TempDir("lprep");
        var html = Path.Combine(dir.Path, "step1.html");
        var r = Check.Run(Rules, Check.Lines("// error in comment", "size=5", "an <ERROR> & more"), htmlPath: html);
        Assert.Equal(1, r.ExitCode);
        var dat = File.ReadAllText(Path.Combine(dir.Path, "step1.dat"));
        Assert.Contains("[rule-1]\ntype ignore\nwhere in\noperator <\nsection LogFileBody\ndesc benign\nstatus OK\ncount 1\nexpected 99\nmeasured 1\n", dat);
        Assert.Contains("[rule-3]\ntype error\nwhere in\noperator =\nsection LogFileBody\ndesc Any error\nstatus FAIL\ncount 1\nexpected 0\nmeasured 1\n", dat);
        Assert.Contains("[rule-4]\ntype value\nwhere in\noperator =\nsection LogFileBody\ndesc size\nstatus OK\nvalue 5\npass 1\nfail 0\nexpected 5\nmeasured 5\ntolerance 1\n", dat);
        Assert.EndsWith("[final]\nexit-code 1\nexit-status FAIL\nmessage Any error: expected count = 0, got 1 (rule-3 expect:error)\n", dat);
        Assert.Equal("FAIL: Any error: expected count = 0, got 1 (rule-3 expect:error)", r.Comment);
    }

    [Fact]
    public void Passing_dat_has_no_message()
    {
        using var dir = new TempDir("lprep");
        var html = Path.Combine(dir.Path, "s.html");
        Check.Run(Rules, Check.Lines("size=5"), htmlPath: html);
        var dat = File.ReadAllText(Path.Combine(dir.Path, "s.dat"));
        Assert.EndsWith("[final]\nexit-code 0\nexit-status PASS\n", dat);
        Assert.DoesNotContain("message", dat);
    }

    [Fact]
    public void Html_report_has_log_lines_and_rule_table_with_links()
    {
        using var dir = new TempDir("lprep");
        var html = Path.Combine(dir.Path, "step1.html");
        Check.Run(Rules, Check.Lines("line one", "size=5", "an <ERROR> & more"), htmlPath: html);
        var text = File.ReadAllText(html);
        Assert.StartsWith("<!DOCTYPE html>", text);
        Assert.Contains("line one\n", text);
        Assert.Contains("<span id=\"L3\" class=\"error\"", text);
        Assert.Contains("an &lt;ERROR&gt; &amp; more</span>", text);
        Assert.Contains("<table>", text);
        Assert.Contains("<td>rule-3</td>", text);
        Assert.Contains("<a href=\"#L3\">3</a>", text);
        Assert.Contains("<a href=\"#L2\">2</a>", text);
        Assert.Contains("class=\"status\">FAIL</td>", text);
        Assert.Contains("class=\"status\">OK</td>", text);
        Assert.Contains("Result: FAIL (exit code 1)", text);
        Assert.EndsWith("</html>\n", text);
    }

    [Fact]
    public void Annotated_output_echoes_every_line_and_marks_credited_ones()
    {
        var set = RuleSet.Parse(Rules, "r.logpro");
        var sw = new StringWriter();
        var r = new LogChecker(set).Run(new StringReader("a\r\nwarn b\nsize=5\nlast-no-newline"), sw, null);
        Assert.Equal(2, r.ExitCode);
        var lines = sw.ToString().Split('\n');
        Assert.Equal("a\r", lines[0]);
        Assert.Equal("warn b", lines[1]);
        Assert.Contains("rule-2 expect:warning", lines[2]);
        Assert.Equal("size=5", lines[3]);
        Assert.Contains("rule-4 expect:value", lines[4]);
        Assert.Equal("last-no-newline", lines[5]);
        Assert.Equal("logpro: WARN (exit code 2)", lines[6]);
    }

    [Fact]
    public void Rules_are_exposed_as_data_in_definition_order()
    {
        var r = Check.Run(Rules, Check.Lines("size=9"));
        Assert.Equal([1, 2, 3, 4], r.Rules.Select(o => o.Index));
        Assert.Equal(new RuleOutcome(4, "value", "size", "LogFileBody", "=", "5", "9", "1", false), r.Rules[3]);
    }
}
