using Megatest.Testing;

namespace Megatest.LogPro.Tests;

public class HookTests
{
    private static string Lit(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    [Fact]
    public void Named_hook_runs_for_each_credited_line_with_groups()
    {
        using var dir = new TempDir("lphook");
        var outFile = Path.Combine(dir.Path, "hook.txt");
        var rules = $$"""
            (hook:add "record" "echo \"#{m1}|#{msg}\" >> {{Lit(outFile)}}")
            (expect:error in "LogFileBody" = 0 "bad thing" #/failed: (\w+)/ hook: "record")
            """;
        var r = Check.Run(rules, Check.Lines("failed: alpha", "ok", "failed: beta"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(["alpha|bad thing", "beta|bad thing"], File.ReadAllLines(outFile));
    }

    [Fact]
    public void One_time_hook_runs_once_and_escaped_line_is_shell_quoted()
    {
        using var dir = new TempDir("lphook");
        var outFile = Path.Combine(dir.Path, "hook.txt");
        var rules = $$"""
            (hook:add "once" "printf '%s\\n' #{escaped line} >> {{Lit(outFile)}}" one-time: #t)
            (expect:warning in "LogFileBody" = 0 "w" #/warn/ hook: "once")
            """;
        var r = Check.Run(rules, Check.Lines("it's a warn; $HOME `x`", "warn again"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["it's a warn; $HOME `x`"], File.ReadAllLines(outFile));
    }

    [Fact]
    public void First_error_and_first_warning_hooks()
    {
        using var dir = new TempDir("lphook");
        var errFile = Path.Combine(dir.Path, "err.txt");
        var warnFile = Path.Combine(dir.Path, "warn.txt");
        var rules = $$"""
            (hook:first-error "echo #{escaped errmsg} > {{Lit(errFile)}}")
            (hook:first-warning "echo #{escaped warnmsg} > {{Lit(warnFile)}}")
            (expect:warning in "LogFileBody" = 0 "w" #/warn/)
            (expect:error in "LogFileBody" = 0 "e" #/ERROR/)
            """;
        Check.Run(rules, Check.Lines("ok", "ERROR one", "warn one", "ERROR two", "warn two"));
        Assert.Equal("ERROR one", File.ReadAllText(errFile).Trim());
        Assert.Equal("warn one", File.ReadAllText(warnFile).Trim());
    }

    [Fact]
    public void First_error_hook_does_not_run_without_errors()
    {
        using var dir = new TempDir("lphook");
        var errFile = Path.Combine(dir.Path, "err.txt");
        var rules = $$"""
            (hook:first-error "echo x > {{Lit(errFile)}}")
            (expect:error in "LogFileBody" = 0 "e" #/ERROR/)
            """;
        Check.Run(rules, Check.Lines("all fine"));
        Assert.False(File.Exists(errFile));
    }

    [Fact]
    public void Value_hook_gets_expected_measured_tolerance_and_message()
    {
        using var dir = new TempDir("lphook");
        var outFile = Path.Combine(dir.Path, "v.txt");
        var rules = $$"""
            (hook:value "echo #{expected} #{measured} #{tolerance} #{escaped message} >> {{Lit(outFile)}}")
            (expect:value in "LogFileBody" 10 2 "speed" #/speed (\d+)/)
            """;
        Check.Run(rules, Check.Lines("speed 11", "speed 15"));
        var lines = File.ReadAllLines(outFile);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("10 11 2 speed: PASS", lines[0]);
        Assert.StartsWith("10 15 2 speed: FAIL", lines[1]);
    }

    [Fact]
    public void Expand_leaves_unknown_names_alone()
    {
        var s = HookRunner.Expand("a #{x} #{escaped x} #{y}", new Dictionary<string, string> { ["x"] = "it's" });
        Assert.Equal("a it's 'it'\\''s' #{y}", s);
    }
}
