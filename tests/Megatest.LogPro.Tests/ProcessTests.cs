using System.Diagnostics;
using Megatest.Testing;

namespace Megatest.LogPro.Tests;

/// <summary>Runs the real logpro executable the way Megatest does: logpro RULES STEP.html &lt; STEP.log.</summary>
public class ProcessTests
{
    private static (int Code, string Out, string Err) RunLogpro(string workDir, string input, params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "logpro.exe" : "logpro");
        var psi = new ProcessStartInfo(exe)
        {
            WorkingDirectory = workDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(input);
        p.StandardInput.Close();
        Assert.True(p.WaitForExit(60_000), "logpro did not finish");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Executable_gives_megatest_exit_codes_and_writes_reports()
    {
        using var dir = new TempDir("lpproc");
        var rules = Path.Combine(TestPaths.SharedAreas, "simplerun", "tests", "test1", "step1.logpro");

        var pass = RunLogpro(dir.Path, "test1 step1 done in /x\n", rules, "step1.html");
        Assert.Equal(0, pass.Code);
        Assert.StartsWith("test1 step1 done in /x\n", pass.Out);
        Assert.True(File.Exists(Path.Combine(dir.Path, "step1.html")));
        Assert.Contains("exit-status PASS", File.ReadAllText(Path.Combine(dir.Path, "step1.dat")));

        Assert.Equal(2, RunLogpro(dir.Path, "a warn here\n", rules, "step1.html").Code);
        Assert.Equal(1, RunLogpro(dir.Path, "an ERROR here\n", rules, "step1.html").Code);
        Assert.Contains("exit-status FAIL", File.ReadAllText(Path.Combine(dir.Path, "step1.dat")));
    }

    [Fact]
    public void Executable_reports_rule_file_errors_with_file_and_line()
    {
        using var dir = new TempDir("lpproc");
        var rules = Path.Combine(dir.Path, "bad.logpro");
        File.WriteAllText(rules, "; rules\n(for-each (lambda (p) p) '(1 2))\n");
        var r = RunLogpro(dir.Path, "log line\n", rules);
        Assert.Equal(1, r.Code);
        Assert.StartsWith($"logpro: {rules}:2: ", r.Err);
        Assert.Contains("for-each", r.Err);
    }
}
