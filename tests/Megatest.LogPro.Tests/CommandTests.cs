using Megatest.Testing;

namespace Megatest.LogPro.Tests;

public class CommandTests
{
    private static (int Code, string Out, string Err) Run(string[] args, string input)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = LogProCommand.Run(args, new StringReader(input), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Runs_rule_file_and_writes_html_and_dat()
    {
        using var dir = new TempDir("lpcmd");
        var rules = Path.Combine(dir.Path, "step.logpro");
        File.WriteAllText(rules, """(expect:required in "LogFileBody" > 0 "done" #/done/)""");
        var html = Path.Combine(dir.Path, "step.html");
        var (code, output, err) = Run([rules, html], "work\ndone\n");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.StartsWith("work\ndone\n", output);
        Assert.True(File.Exists(html));
        Assert.Contains("exit-status PASS", File.ReadAllText(Path.Combine(dir.Path, "step.dat")));
        Assert.Equal(1, Run([rules], "nothing\n").Code);
    }

    [Theory]
    [InlineData("(define rules '())\n", 1, "define")]
    [InlineData("(expect:error in \"LogFileBody\" = 0 \"x\" #/a/)\n(for-each\n (lambda (x) x) '(1))\n", 2, "for-each")]
    [InlineData("(expect:error in \"LogFileBody\" = 0 \"x\" #/a/", 1, "unclosed")]
    public void Rule_file_errors_print_file_line_and_exit_1(string text, int line, string what)
    {
        using var dir = new TempDir("lpcmd");
        var rules = Path.Combine(dir.Path, "bad.logpro");
        File.WriteAllText(rules, text);
        var html = Path.Combine(dir.Path, "bad.html");
        var (code, output, err) = Run([rules, html], "some log\n");
        Assert.Equal(1, code);
        Assert.StartsWith($"logpro: {rules}:{line}: ", err);
        Assert.Contains(what, err);
        Assert.StartsWith("some log\n", output);
        var dat = File.ReadAllText(Path.Combine(dir.Path, "bad.dat"));
        Assert.Contains("exit-code 1\nexit-status FAIL\nmessage " + rules + ":" + line + ":", dat);
        Assert.True(File.Exists(html));
    }

    [Fact]
    public void Missing_rule_file_and_bad_usage_exit_1()
    {
        var (code, _, err) = Run(["/nonexistent/x.logpro"], "");
        Assert.Equal(1, code);
        Assert.StartsWith("logpro: /nonexistent/x.logpro:", err);
        Assert.Equal(1, Run([], "").Code);
        Assert.Equal(1, Run(["a", "b", "c"], "").Code);
    }

    [Theory]
    [InlineData("skip", 6)]
    [InlineData("abort", 5)]
    [InlineData("check", 3)]
    [InlineData("waive", 4)]
    [InlineData("warning", 2)]
    public void Exit_code_is_the_status(string type, int code)
    {
        using var dir = new TempDir("lpcmd");
        var rules = Path.Combine(dir.Path, "r.logpro");
        File.WriteAllText(rules, $"""(expect:{type} in "LogFileBody" = 0 "x" #/hit/)""");
        Assert.Equal(code, Run([rules], "hit\n").Code);
        Assert.Equal(0, Run([rules], "miss\n").Code);
    }
}
