using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>-env2file, -envcap/-envdelta, -create-megatest-area, -create-test, -test-paths and -test-files, run as a user would.</summary>
public sealed class UtilityCommandTests : IDisposable
{
    private static readonly TimeSpan s_quick = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_run = TimeSpan.FromMinutes(3);
    private readonly TempDir _tmp = new("utility");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Env2File_SourcedByBash_ReproducesTheVariable()
    {
        const string odd = "two  spaces 'single' \"double\" $dollar `tick` !bang \\ back\nsecond line";
        var env = new Dictionary<string, string> { ["UTIL_ODD_VALUE"] = odd, ["UTIL_PLAIN"] = "/usr/bin:/bin" };
        var result = await MegatestProcess.RunFileAsync(MegatestProcess.Executable, _tmp.Path, s_quick, env, "-env2file", "saved");
        Assert.True(result.ExitCode == 0, result.ToString());

        var sh = File.ReadAllText(Path.Combine(_tmp.Path, "saved.sh"));
        var csh = File.ReadAllText(Path.Combine(_tmp.Path, "saved.csh"));
        Assert.Contains("\nexport UTIL_PLAIN=/usr/bin:/bin\n", sh, StringComparison.Ordinal);
        Assert.Contains("\nsetenv UTIL_PLAIN /usr/bin:/bin\n", csh, StringComparison.Ordinal);
        Assert.Contains("\n# export HOME=", sh, StringComparison.Ordinal);
        Assert.Contains("\n# setenv HOME ", csh, StringComparison.Ordinal);
        Assert.DoesNotContain("\nexport HOME=", sh, StringComparison.Ordinal);

        var check = await MegatestProcess.RunFileAsync("/bin/bash", _tmp.Path, s_quick, null,
            "-c", "export HOME=/keep/me; source ./saved.sh; printf '%s' \"$UTIL_ODD_VALUE\" > odd.txt; printf '%s' \"$HOME\" > home.txt");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(odd, File.ReadAllText(Path.Combine(_tmp.Path, "odd.txt")));
        Assert.Equal("/keep/me", File.ReadAllText(Path.Combine(_tmp.Path, "home.txt")));
    }

    [Fact]
    public async Task EnvCapTwice_EnvDelta_PrintsTheChangesInEveryDumpMode()
    {
        var path = Environment.GetEnvironmentVariable("PATH")!;
        var before = new Dictionary<string, string> { ["UTIL_A"] = "1", ["UTIL_GONE"] = "x", ["PATH"] = path };
        var cap1 = await MegatestProcess.RunFileAsync(MegatestProcess.Executable, _tmp.Path, s_quick, before, "-envcap", "before");
        Assert.True(cap1.ExitCode == 0, cap1.ToString());

        var after = new Dictionary<string, string> { ["UTIL_A"] = "2", ["UTIL_NEW"] = "hello world", ["PATH"] = "/opt/util/bin:" + path };
        var cap2 = await MegatestProcess.RunFileAsync("/usr/bin/env", _tmp.Path, s_quick, after, "-u", "UTIL_GONE", MegatestProcess.Executable, "-envcap", "after");
        Assert.True(cap2.ExitCode == 0, cap2.ToString());
        Assert.True(File.Exists(Path.Combine(_tmp.Path, "envdat.db")));

        async Task<string[]> Delta(params string[] extra)
        {
            var r = await MegatestProcess.RunAsync(_tmp.Path, s_quick, ["-envdelta", "before-after", .. extra]);
            Assert.True(r.ExitCode == 0, r.ToString());
            return Lines(r.Stdout);
        }

        Assert.Equal(
            ["export PATH=\"/opt/util/bin:${PATH}\"", "export UTIL_A=2", "unset UTIL_GONE", "export UTIL_NEW='hello world'"],
            await Delta());
        Assert.Equal(
            ["setenv PATH \"/opt/util/bin:${PATH}\"", "setenv UTIL_A 2", "unsetenv UTIL_GONE", "setenv UTIL_NEW 'hello world'"],
            await Delta("-dumpmode", "csh"));
        string[] config = ["PATH /opt/util/bin:$PATH", "UTIL_A 2", "# UTIL_GONE is removed (the config language has no way to unset a variable)", "UTIL_NEW hello world"];
        Assert.Equal(config, await Delta("-dumpmode", "ini"));
        Assert.Equal(config, await Delta("-dumpmode", "config"));

        var toFile = await MegatestProcess.RunAsync(_tmp.Path, s_quick, "-envdelta", "before-after", "-o", "delta.sh");
        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        Assert.Equal("", toFile.Stdout);
        var apply = await MegatestProcess.RunFileAsync("/bin/bash", _tmp.Path, s_quick, null,
            "-c", "export UTIL_A=1 UTIL_GONE=x; source ./delta.sh; echo \"$UTIL_A|${UTIL_GONE-unset}|$UTIL_NEW|${PATH%%:*}\"");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("2|unset|hello world|/opt/util/bin\n", apply.Stdout);

        var reverse = await MegatestProcess.RunAsync(_tmp.Path, s_quick, "-envdelta", "after-before");
        Assert.Contains("unset UTIL_NEW", reverse.Stdout, StringComparison.Ordinal);
        Assert.Contains("export UTIL_GONE=x", reverse.Stdout, StringComparison.Ordinal);

        var missing = await MegatestProcess.RunAsync(_tmp.Path, s_quick, "-envdelta", "before-nosuch");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no captured context nosuch", missing.Stderr, StringComparison.Ordinal);
        var badMode = await MegatestProcess.RunAsync(_tmp.Path, s_quick, "-envdelta", "before-after", "-dumpmode", "json");
        Assert.Equal(1, badMode.ExitCode);
    }

    [Fact]
    public async Task CreateAreaAndTestsWithFlags_RunEndsCompletedPass()
    {
        var area = Path.Combine(_tmp.Path, "newarea");
        var created = await MegatestProcess.RunAsync(_tmp.Path, s_quick,
            "-create-megatest-area", "-area", area, "-keys", "RELEASE,PLATFORM", "-disk", Path.Combine(area, "runs"), "-linktree", Path.Combine(area, "links"));
        Assert.True(created.ExitCode == 0, created.ToString());
        var config = File.ReadAllText(Path.Combine(area, "megatest.config"));
        Assert.Contains("[fields]\nRELEASE TEXT\nPLATFORM TEXT\n", config, StringComparison.Ordinal);
        Assert.Contains("max_concurrent_jobs 50\n", config, StringComparison.Ordinal);
        Assert.Contains("[jobtools]\nuseshell yes\n", config, StringComparison.Ordinal);
        Assert.Contains("launcher nbfake\nmaxload 1.5\n", config, StringComparison.Ordinal);
        Assert.Contains("[env-override]\n", config, StringComparison.Ordinal);
        Assert.Contains($"[disks]\ndisk0 {area}/runs\n", config, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(area, "runconfigs.config")));

        var hello = await MegatestProcess.RunAsync(area, s_quick,
            "-create-test", "hello", "-description", "says ok", "-waiton", "", "-priority", "3", "-steps", "greet:echo ok", "-items", "");
        Assert.True(hello.ExitCode == 0, hello.ToString());
        var stubbed = await MegatestProcess.RunAsync(Path.Combine(area, "tests"), s_quick,
            "-create-test", "stubbed", "-description", "", "-waiton", "hello", "-priority", "", "-steps", "prep", "-items", "");
        Assert.True(stubbed.ExitCode == 0, stubbed.ToString());
        Assert.True(File.Exists(Path.Combine(area, "tests", "stubbed", "prep.sh")));
        var sized = await MegatestProcess.RunAsync(area, s_quick,
            "-create-test", "sized", "-description", "one per size", "-waiton", "hello", "-priority", "1",
            "-steps", "show:echo size $SIZE;where:$MT_MEGATEST -test-paths -testpatt sized/%", "-items", "SIZE:small large");
        Assert.True(sized.ExitCode == 0, sized.ToString());
        var testconfig = File.ReadAllText(Path.Combine(area, "tests", "sized", "testconfig"));
        Assert.Contains("[ezsteps]\nshow echo size $SIZE\nwhere $MT_MEGATEST -test-paths -testpatt sized/%\n", testconfig, StringComparison.Ordinal);
        Assert.Contains("[requirements]\nwaiton hello\npriority 1\n", testconfig, StringComparison.Ordinal);
        Assert.Contains("[items]\nSIZE small large\n", testconfig, StringComparison.Ordinal);

        var run = await MegatestProcess.RunAsync(area, s_run, "-run", "-target", "v1/linux", "-runname", "r1", "-testpatt", "%");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var tests = db.Tests("r1");
        Assert.Equal(
            ["hello/", "sized/", "sized/large", "sized/small", "stubbed/"],
            tests.Keys.Select(k => $"{k.Test}/{k.Item}").Order(StringComparer.Ordinal));
        Assert.All(tests, t => Assert.True(t.Value is ("COMPLETED", "PASS", _), $"{t.Key}: {t.Value}\n{run}"));
        Assert.Contains("ok", File.ReadAllText(Path.Combine(area, "links", "v1", "linux", "r1", "hello", "greet.log")), StringComparison.Ordinal);
        Assert.Contains("nothing to do yet", File.ReadAllText(Path.Combine(area, "links", "v1", "linux", "r1", "stubbed", "prep.log")), StringComparison.Ordinal);

        // Inside the test, -test-paths used the test's own area and run.
        var small = Path.Combine(area, "links", "v1", "linux", "r1", "sized", "small");
        var where = Lines(File.ReadAllText(Path.Combine(small, "where.log")));
        Assert.Contains(small, where);
        Assert.DoesNotContain(where, p => p.EndsWith("hello", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAreaAndTest_Interactive_AnswersComeFromStdin()
    {
        var area = Path.Combine(_tmp.Path, "asked");
        var created = await MegatestProcess.RunWithInputAsync(_tmp.Path, s_quick, $"{area}\n\nK1 K2\n\n\n", "-create-megatest-area");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("Keys", created.Stdout, StringComparison.Ordinal);
        var config = File.ReadAllText(Path.Combine(area, "megatest.config"));
        Assert.Contains("[fields]\nK1 TEXT\nK2 TEXT\n", config, StringComparison.Ordinal);
        Assert.Contains($"linktree {area}/links\n", config, StringComparison.Ordinal);
        Assert.Contains($"disk0 {area}/runs\n", config, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(area, "runs")));

        var answers = "checks the widget\nnothing\n5\nbuild\necho hi\nverify\n\n\nSIZE a b\nMODE fast\n\n";
        Directory.CreateDirectory(Path.Combine(area, "tests", "nothing"));
        File.WriteAllText(Path.Combine(area, "tests", "nothing", "testconfig"), "[ezsteps]\nx echo x\n");
        var test = await MegatestProcess.RunWithInputAsync(area, s_quick, answers, "-create-test", "widget");
        Assert.True(test.ExitCode == 0, test.ToString());
        var testconfig = File.ReadAllText(Path.Combine(area, "tests", "widget", "testconfig"));
        Assert.Contains("[ezsteps]\nbuild echo hi\nverify ./verify.sh\n", testconfig, StringComparison.Ordinal);
        Assert.Contains("[requirements]\nwaiton nothing\npriority 5\n", testconfig, StringComparison.Ordinal);
        Assert.Contains("[items]\nSIZE a b\nMODE fast\n", testconfig, StringComparison.Ordinal);
        Assert.Contains("description checks the widget\n", testconfig, StringComparison.Ordinal);
        var stub = Path.Combine(area, "tests", "widget", "verify.sh");
        Assert.True((File.GetUnixFileMode(stub) & UnixFileMode.UserExecute) != 0);

        // A flag skips its question: only the step and item questions are asked here.
        var partial = await MegatestProcess.RunWithInputAsync(area, s_quick, "only\necho only\n\n\n",
            "-create-test", "partial", "-description", "d", "-waiton", "", "-priority", "");
        Assert.True(partial.ExitCode == 0, partial.ToString());
        Assert.DoesNotContain("Description", partial.Stdout, StringComparison.Ordinal);
        Assert.Contains("[ezsteps]\nonly echo only\n", File.ReadAllText(Path.Combine(area, "tests", "partial", "testconfig")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAreaAndTest_RefuseToOverwrite()
    {
        var area = Path.Combine(_tmp.Path, "area");
        string[] areaArgs = ["-create-megatest-area", "-area", area, "-keys", "K", "-disk", Path.Combine(area, "runs"), "-linktree", Path.Combine(area, "links")];
        var first = await MegatestProcess.RunAsync(_tmp.Path, s_quick, areaArgs);
        Assert.True(first.ExitCode == 0, first.ToString());
        var original = File.ReadAllText(Path.Combine(area, "megatest.config"));
        var again = await MegatestProcess.RunAsync(_tmp.Path, s_quick, [.. areaArgs[..^4], "-keys", "OTHER"]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists; not overwriting", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllText(Path.Combine(area, "megatest.config")));

        string[] testArgs = ["-create-test", "t1", "-description", "first", "-waiton", "", "-priority", "", "-steps", "a:echo a", "-items", ""];
        Assert.Equal(0, (await MegatestProcess.RunAsync(area, s_quick, testArgs)).ExitCode);
        var before = File.ReadAllText(Path.Combine(area, "tests", "t1", "testconfig"));
        var twice = await MegatestProcess.RunAsync(area, s_quick, [.. testArgs[..3], "second", .. testArgs[4..]]);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("already exists; not overwriting", twice.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(area, "tests", "t1", "testconfig")));

        var outside = await MegatestProcess.RunAsync(_tmp.Path, s_quick, testArgs);
        Assert.Equal(1, outside.ExitCode);
        Assert.Contains("no megatest.config", outside.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("two words")]
    [InlineData("semi;colon")]
    public async Task CreateTest_BadName_IsRefused(string name)
    {
        File.WriteAllText(Path.Combine(_tmp.Path, "megatest.config"), "[fields]\nK TEXT\n");
        var result = await MegatestProcess.RunAsync(_tmp.Path, s_quick, "-create-test", name, "-description", "", "-waiton", "", "-priority", "", "-steps", "a:echo", "-items", "");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad test name", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_tmp.Path, "tests")));
        Assert.False(Directory.Exists(Path.Combine(_tmp.Path, "evil")));
    }

    [Fact]
    public async Task TestPathsAndTestFiles_AfterTheExampleRun_FilterByPatternAndState()
    {
        var area = _tmp.CopyFrom(Path.Combine(TestPaths.RepoRoot, "tools", "example", "area"), "area");
        Directory.CreateDirectory(Path.Combine(area, "runs"));
        var run = await MegatestProcess.RunAsync(area, s_run, "-run", "-target", "linux/1.0", "-runname", "example", "-testpatt", "%");
        Assert.True(run.ExitCode == 0, run.ToString());
        var links = Path.Combine(area, "links", "linux", "1.0", "example");

        async Task<string[]> Query(params string[] args)
        {
            var r = await MegatestProcess.RunAsync(area, s_quick, args);
            Assert.True(r.ExitCode == 0, r.ToString());
            return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        Assert.Equal([Path.Combine(links, "build")], await Query("-test-paths", "-testpatt", "build"));
        Assert.Equal(
            ["unit", "unit/parser/fast", "unit/scheduler/fast", "unit/storage/fast"],
            (await Query("-test-paths", "-target", "linux/%", "-runname", "example", "-testpatt", "unit/%")).Select(p => Path.GetRelativePath(links, p)).Order(StringComparer.Ordinal));
        Assert.Equal(6, (await Query("-test-paths", "-state", "COMPLETED")).Length);
        Assert.Empty(await Query("-test-paths", "-state", "NOT_STARTED,RUNNING"));
        Assert.Empty(await Query("-test-paths", "-runname", "nosuchrun"));
        Assert.Equal([Path.Combine(links, "report")], await Query("-test-paths", "-testpatt", "report", "-status", "PASS"));

        Assert.Equal(
            ["build/compile.log", "build/configure.log"],
            (await Query("-test-files", "c*e.log", "-testpatt", "build")).Select(p => Path.GetRelativePath(links, p)).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["unit/parser/fast/run.log", "unit/scheduler/fast/run.log", "unit/storage/fast/run.log"],
            (await Query("-test-files", "run.log", "-testpatt", "unit/%", "-state", "COMPLETED")).Select(p => Path.GetRelativePath(links, p)).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["unit/scheduler/fast/run.log"],
            (await Query("-test-files", "scheduler/*/r?n.log", "-testpatt", "unit")).Select(p => Path.GetRelativePath(links, p)));
        Assert.Empty(await Query("-test-files", "*.log", "-state", "NOT_STARTED"));
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("# environment changes", StringComparison.Ordinal)).ToArray();
}
