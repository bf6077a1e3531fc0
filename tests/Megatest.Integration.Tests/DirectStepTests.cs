using System.Text.RegularExpressions;
using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// Simple ezstep commands run without bash (issue #9) and give the same results as through bash: each test here has a
/// twin whose commands end in " ;" (which means nothing to bash but keeps the shell), and the twins' rows, steps,
/// test data and logs must match.
/// </summary>
public sealed partial class DirectStepTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private readonly TempDir _tmp = new("directstep");

    public void Dispose() => _tmp.Dispose();

    private static readonly (string File, string Text)[] s_scripts =
    [
        ("both", "#!/bin/sh\necho out1\necho err1 >&2\necho out2\necho err2 >&2\n"),
        ("code", "#!/bin/sh\necho exiting $1\nexit $1\n"),
        ("sk", "#!/bin/sh\necho dying of $1\nkill -$1 $$\n"),
        ("parent", "#!/bin/sh\ncat /proc/$PPID/comm\n"),
        // The environment the step's program was started with, less what names the test itself.
        ("envdump", "#!/bin/sh\ntr '\\0' '\\n' < /proc/$$/environ | grep -v '^MT_CMDINFO=' | sort\n"),
        ("stdin", "#!/bin/sh\nif read line; then echo got \"$line\"; else echo end of input; fi\n"),
    ];

    private static (string Test, (string File, string Text)[] Files) Twin(string name, string steps, string extra = "")
    {
        var config = extra + "[ezsteps]\n" + steps;
        var shell = extra + "[ezsteps]\n" + string.Concat(steps.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + " ;\n"));
        return name.EndsWith("_shell", StringComparison.Ordinal) ? (name, [.. s_scripts, ("testconfig", shell)]) : (name, [.. s_scripts, ("testconfig", config)]);
    }

    [Fact]
    public async Task SimpleSteps_WithoutAndWithBash_RecordTheSameResultsAndLogs()
    {
        const string Ok = "hello echo hello   world\nboth ./both\nenv ./envdump\ninput ./stdin\nchecked echo warning: disk low\nwho ./parent\n";
        const string LogPro = "[logpro]\nchecked (expect:warning in \"LogFileBody\" = 0 \"warnings\" #/warning/)\n\n";
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "",
            Twin("ok_direct", Ok, LogPro), Twin("ok_shell", Ok, LogPro),
            Twin("fails_direct", "first ./code 0\nthen ./code 3\nnever echo not reached\n"), Twin("fails_shell", "first ./code 0\nthen ./code 3\nnever echo not reached\n"),
            Twin("signal_direct", "crash ./sk SEGV\n"), Twin("signal_shell", "crash ./sk SEGV\n"),
            Twin("term_direct", "crash ./sk TERM\n"), Twin("term_shell", "crash ./sk TERM\n"));
        foreach (var script in Directory.EnumerateFiles(Path.Combine(area, "tests"), "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "testconfig"))
        {
            File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute);
        }

        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "linux", "-runname", "r1", "-testpatt", "%");
        Assert.True(result.ExitCode == 0, result.ToString());

        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var tests = db.Tests("r1");
        Assert.Equal(("COMPLETED", "WARN"), (tests[("ok_direct", "")].State, tests[("ok_direct", "")].Status));
        Assert.Equal(("COMPLETED", "FAIL"), (tests[("fails_direct", "")].State, tests[("fails_direct", "")].Status));
        Assert.Equal(("COMPLETED", "FAIL"), (tests[("signal_direct", "")].State, tests[("signal_direct", "")].Status));
        foreach (var twin in new[] { "ok", "fails", "signal", "term" })
        {
            Assert.Equal(tests[(twin + "_shell", "")], tests[(twin + "_direct", "")]);
            Assert.Equal(Steps(db, twin + "_shell"), Steps(db, twin + "_direct"));
            Assert.Equal(Data(db, twin + "_shell"), Data(db, twin + "_direct"));
            var shellDir = RunDir(area, twin + "_shell");
            var directDir = RunDir(area, twin + "_direct");
            foreach (var log in Directory.EnumerateFiles(shellDir, "*.log").Select(Path.GetFileName).Where(f => f is not ("who.log" or "mt_launch.log")))
            {
                Assert.Equal(Normalise(File.ReadAllText(Path.Combine(shellDir, log!)), twin + "_shell"), Normalise(File.ReadAllText(Path.Combine(directDir, log!)), twin + "_direct"));
            }
        }

        // Both paths were taken: bash started the twin's programs, megatest itself the others.
        Assert.Equal("bash", File.ReadAllText(Path.Combine(RunDir(area, "ok_shell"), "who.log")).Trim());
        Assert.NotEqual("bash", File.ReadAllText(Path.Combine(RunDir(area, "ok_direct"), "who.log")).Trim());
        Assert.Equal(["hello", "both", "env", "input", "checked", "who"], Steps(db, "ok_direct").Where(s => s[1] == "end").Select(s => s[0]));
        Assert.Equal("139", Steps(db, "signal_direct").Single(s => s[1] == "end")[2]);
        Assert.Equal("143", Steps(db, "term_direct").Single(s => s[1] == "end")[2]);
        Assert.Matches(@"^dying of SEGV\n/bin/bash: line 2: +[0-9]+ Segmentation fault +\./sk SEGV\n$", File.ReadAllText(Path.Combine(RunDir(area, "signal_direct"), "crash.log")));
        var env = File.ReadAllText(Path.Combine(RunDir(area, "ok_direct"), "env.log"));
        Assert.Matches(@"(^|\n)SHLVL=[1-9][0-9]*\n", env);
        Assert.Contains("\n_=./envdump\n", env, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectStep_PastItsRunTimeLimit_IsKilledWithItsChildren()
    {
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "",
            ("nap", [("napper", "#!/bin/sh\nsleep 600 &\necho $$ $! > $MT_RUN_AREA_HOME/napper.pid\nwait\n"), ("testconfig", "[requirements]\nruntimelim 2\n\n[ezsteps]\nnap ./napper\n")]));
        File.SetUnixFileMode(Path.Combine(area, "tests", "nap", "napper"), (UnixFileMode)0b111_101_101);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "linux", "-runname", "r1", "-testpatt", "nap");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");

        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var row = db.Tests("r1")[("nap", "")];
        Assert.Equal(("KILLED", "KILLED"), (row.State, row.Status));
        Assert.Equal("killed", Steps(db, "nap").Single(s => s[1] == "end")[3]);
        foreach (var pid in File.ReadAllText(Path.Combine(area, "napper.pid")).Split(' ', StringSplitOptions.TrimEntries))
        {
            await Wait.UntilAsync(() => Ended(pid), TimeSpan.FromSeconds(10), $"process {pid} to end");
        }
    }

    private static bool Ended(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true; // gone (and reaped)
        }
    }

    private static string RunDir(string area, string test) => Path.Combine(area, "links", "linux", "r1", test);

    // The test's own name and a dying process's pid are what twins may differ in.
    private static string Normalise(string log, string test) => Pid().Replace(log.Replace(test, "TEST", StringComparison.Ordinal), "/bin/bash: line 2: PID ");

    private static List<string[]> Steps(AreaDb db, string test) =>
        [.. db.Query("SELECT s.stepname, s.state, s.status, COALESCE(s.comment, ''), COALESCE(s.logfile, '') FROM test_steps s JOIN tests t ON t.id = s.test_id WHERE t.testname = $t ORDER BY s.id", ("$t", test))
            .Select(r => r.Select(v => v?.ToString() ?? "").ToArray())];

    private static List<string[]> Data(AreaDb db, string test) =>
        [.. db.Query("SELECT d.category, d.variable, COALESCE(d.value, ''), COALESCE(d.status, ''), COALESCE(d.comment, '') FROM test_data d JOIN tests t ON t.id = d.test_id WHERE t.testname = $t ORDER BY d.category, d.variable", ("$t", test))
            .Select(r => r.Select(v => v?.ToString() ?? "").ToArray())];

    [GeneratedRegex(@"/bin/bash: line 2: +[0-9]+ ")]
    private static partial Regex Pid();
}
