using Megatest.Config;
using Megatest.Testing;

namespace Megatest.Config.Tests;

/// <summary>The real areas of the compatibility corpus must read correctly, unchanged.</summary>
public class CorpusTests
{
    private static string CopyArea(TempDir tmp, string name) => tmp.CopyFrom(Path.Combine(TestPaths.SharedAreas, name), name);

    [Fact]
    public void DepTests_StdTarget_Test1()
    {
        using var tmp = new TempDir();
        var area = CopyArea(tmp, "dep-tests");
        var env = Cfg.Env();
        var cfg = AreaConfig.Load(area, "std/0", env);

        Assert.Equal(["DEPS", "SPEED"], cfg.Keys);
        Assert.Equal("std", env.Get("DEPS"));
        Assert.Equal("0", env.Get("SPEED"));
        Assert.Equal(area, env.Get("MT_RUN_AREA_HOME"));
        Assert.Equal("std/0", env.Get("MT_TARGET"));
        Assert.Equal("dep-tests", env.Get("MT_TESTSUITENAME"));

        var parent = PathUtil.RealPath(tmp.Path);
        Assert.Equal(parent, cfg.Megatest.Get("misc", "parent"));
        Assert.Equal(PathUtil.RealPath(area), cfg.Megatest.Get("misc", "home"));
        Assert.Equal(parent + "/links", cfg.LinkTree);
        Assert.Equal(parent + "/runs", cfg.Megatest.Get("disks", "disk0"));
        Assert.Equal("100000", cfg.Megatest.Get("setup", "max_concurrent_jobs"));
        Assert.Equal("cp --remove-destination -rsv TEST_SRC_PATH/. TEST_TARG_PATH/. >> TEST_TARG_PATH/mt_launch.log 2>> TEST_TARG_PATH/mt_launch.log", cfg.Megatest.Get("setup", "testcopycmd"));
        Assert.Equal("xterm -geometry 180x20 -e \"", cfg.Megatest.Get("dashboard", "pre-command"));
        Assert.Equal("hosts: xena, phoebe", cfg.Megatest.Get("flavors", "plain"));
        Assert.Equal("nbfake", cfg.Megatest.Get("jobtools", "launcher"));
        Assert.Equal(["default", "std/0"], cfg.RunConfigs.SectionNames);
        Assert.Empty(cfg.Megatest.Warnings);

        Assert.Equal(["aggregate", "genlib", "results", "setup", "test1", "test2"], cfg.AllTestNames());
        Assert.Equal(Path.Combine(area, "tests", "test1"), cfg.FindTestDirectory("test1"));
        Assert.Null(cfg.FindTestDirectory("nope"));

        var t1 = cfg.ReadTestConfig("test1", env);
        Assert.Equal("test1", env.Get("MT_TEST_NAME"));
        Assert.Equal("genlib", t1.Get("requirements", "waiton"));
        Assert.Equal("itemwait", t1.Get("requirements", "mode"));
        Assert.Equal("/.*", t1.Get("requirements", "itemmap"));
        Assert.Equal(["VIEW", "CELL"], Cfg.Keys(t1, "itemstable"));
        Assert.Equal("layout layout layout schematic schematic schematic", t1.Get("itemstable", "VIEW"));
        Assert.Equal("ntran  ptran  diode  ntran     ptran     diode", t1.Get("itemstable", "CELL"));
        Assert.Equal("sleep $SPEED;echo \"Delayed $SPEED seconds\"", t1.Get("ezsteps", "delay"));
        var delay = t1.Get("logpro", "delay");
        Assert.NotNull(delay);
        Assert.Equal(";; Delay step logpro\n(expect:required in \"LogFileBody\" > 0 \"Delayed message\" #/Delayed \\d+ seconds/)", delay);
        Assert.Equal("09/10/2011, by Matt", t1.Get("logpro", "reviewed"));
        Assert.Equal("This is a common testconfig shared by all the tests", t1.Get("test_meta", "description"));
        Assert.Empty(t1.Warnings);

        Assert.Equal("setup", cfg.ReadTestConfig("genlib", env).Get("requirements", "waiton"));
        Assert.Equal("layout schematic", cfg.ReadTestConfig("genlib", env).Get("itemstable", "VIEWTYPE"));
        Assert.Equal("test1", cfg.ReadTestConfig("aggregate", env).Get("requirements", "waiton"));
        Assert.Null(cfg.ReadTestConfig("setup", env).Get("requirements", "waiton"));
    }

    [Fact]
    public void DepTests_SimpleTarget_GenlibWaitonIsHashF()
    {
        using var tmp = new TempDir();
        var area = CopyArea(tmp, "dep-tests");
        var env = Cfg.Env();
        var cfg = AreaConfig.Load(area, "simple/0", env);
        Assert.Equal("#f", cfg.ReadTestConfig("genlib", env).Get("requirements", "waiton"));
        Assert.Equal("#f", cfg.ReadTestConfig("aggregate", env).Get("requirements", "waiton"));
        Assert.Equal("setup", cfg.ReadTestConfig("test1", env).Get("requirements", "waiton"));
        Assert.Equal("test1", cfg.ReadTestConfig("test2", env).Get("requirements", "waiton"));
    }

    [Fact]
    public void DynamicWaiton_WaitonLineComesFromRunconfigs()
    {
        using var tmp = new TempDir();
        var area = CopyArea(tmp, "dynamic-waiton-example");
        var env = Cfg.Env();
        var cfg = AreaConfig.Load(area, "std/0", env);
        Assert.Equal("waiton genlib", env.Get("WAITON_test1"));
        Assert.Equal(string.Empty, env.Get("WAITON_setup"));

        var t1 = cfg.ReadTestConfig("test1", env);
        Assert.Equal("genlib", t1.Get("requirements", "waiton"));
        Assert.Equal(6, t1.Get("itemstable", "VIEW")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("setup", cfg.ReadTestConfig("genlib", env).Get("requirements", "waiton"));
        Assert.Equal("aggregate", cfg.ReadTestConfig("test2", env).Get("requirements", "waiton"));

        var results = cfg.ReadTestConfig("results", env);
        Assert.True(results.HasSection("requirements"));
        Assert.Null(results.Get("requirements", "waiton"));
        Assert.Empty(results.Warnings);

        var setup = cfg.ReadTestConfig("setup", env);
        Assert.Null(setup.Get("requirements", "waiton"));
        Assert.Empty(setup.Warnings);
    }

    [Fact]
    public void Mintest_DiskUsesPwd_LinktreeUsesAreaHome()
    {
        using var tmp = new TempDir();
        var area = CopyArea(tmp, "mintest");
        var env = Cfg.Env(("PWD", area));
        var cfg = AreaConfig.Load(area, "v1.0", env);
        Assert.Equal(area + "/runs", cfg.Megatest.Get("disks", "disk0"));
        Assert.Equal(area + "/linktree", cfg.LinkTree);
        Assert.Equal(["X"], cfg.Keys);
        Assert.Equal("v1.0", env.Get("X"));
        Assert.Equal("see this variable", env.Get("ALLTESTS"));
        Assert.Null(env.Get("ANOTHERVAR"));
        Assert.Equal(["a", "a1", "b", "b1", "c", "c1", "d", "d1fail", "e", "e1", "f", "g", "h", "i", "j", "k", "l"], cfg.AllTestNames());

        var f = cfg.ReadTestConfig("f", env);
        Assert.Equal(string.Empty, f.Get("requirements", "waiton"));
        var g = cfg.ReadTestConfig("g", env);
        Assert.Equal(["NADA"], Cfg.Keys(g, "items"));
        Assert.Equal(string.Empty, g.Get("items", "NADA"));
        var d1 = cfg.ReadTestConfig("d1fail", env);
        Assert.Equal(["step1", "step2"], Cfg.Keys(d1, "ezsteps"));
        Assert.Equal("exit 123", d1.Get("ezsteps", "step2"));
    }

    [Fact]
    public void Mintest_TargetAExportsAnotherVar()
    {
        using var tmp = new TempDir();
        var area = CopyArea(tmp, "mintest");
        var env = Cfg.Env(("PWD", area));
        var cfg = AreaConfig.Load(area, "a", env);
        Assert.Equal("only defined if target is \"a\"", cfg.RunConfigs.Get("a", "ANOTHERVAR"));
        Assert.Equal("only defined if target is a", env.Get("ANOTHERVAR"));
    }

    [Fact]
    public void Simplerun_LinktreeAndEnvOverride()
    {
        using var tmp = new TempDir();
        var area = CopyArea(tmp, "simplerun");
        var env = Cfg.Env();
        var cfg = AreaConfig.Load(area, "SYSTEM_val/RELEASE_val", env);
        Assert.EndsWith("/../simplelinks", cfg.LinkTree);
        Assert.Equal(area + "/../simplelinks", cfg.LinkTree);
        Assert.Equal("example value", env.Get("EXAMPLE_VAR"));
        Assert.Equal("SYSTEM_val", env.Get("SYSTEM"));
        Assert.Equal("RELEASE_val", env.Get("RELEASE"));
        Assert.Equal("only defined if target is SYSTEM_val/RELEASE_val", env.Get("ANOTHERVAR"));
        Assert.Equal("start end completed", cfg.Megatest.Get("validvalues", "state"));

        var t2 = cfg.ReadTestConfig("test2", env);
        Assert.Equal("desert plains forest jungle beach", t2.Get("items", "LANDTYPE"));
        Assert.Equal("test1", t2.Get("requirements", "waiton"));
        var t1 = cfg.ReadTestConfig("test1", env);
        Assert.True(t1.HasSection("items"));
        Assert.Empty(t1.Section("items"));
        Assert.Equal(["step1", "step2"], Cfg.Keys(t1, "ezsteps"));
    }

    [Fact]
    public void Simplerun_TestConfigParserFile()
    {
        using var tmp = new TempDir();
        var area = CopyArea(tmp, "simplerun");
        var env = Cfg.Env(("MT_RUN_AREA_HOME", area));
        var data = ConfigReader.ReadFile(Path.Combine(area, "test.config"), new ConfigReadOptions { Environment = env, WorkingDirectory = tmp.Path });

        Assert.Equal("./blah", data.Get("section1", "1"));
        Assert.True(data.HasSection("section2"));
        Assert.Empty(data.Section("section2"));
        // [validvalues] state is redefined by the included megatest.config later in the file.
        Assert.Equal("start end completed", data.Get("validvalues", "state"));
        Assert.Equal("pass fail n/a", data.Get("validvalues", "status"));
        Assert.Equal("nada", data.Get("validvalues", "blah"));
        Assert.Equal(["status", "blah", "state"], Cfg.Keys(data, "validvalues"));
        Assert.Equal(
            "This is a multiline \ndescription. The leading whitespace is discarded\nirrespective of amount of indenting.\n   This line is indented more.",
            data.Get("metadata", "description"));
        Assert.Equal("matt", data.Get("metadata", "author"));
        Assert.Equal("never", data.Get("metadata", "lastreview"));

        // The included megatest.config contributes its sections.
        Assert.Equal("TEXT", data.Get("fields", "SYSTEM"));
        Assert.Equal(area + "/../simpleruns", data.Get("disks", "disk0"));
        Assert.Equal("./", data.Get("disks", "1"));
        Assert.Contains(data.Warnings, w => w.Contains("a file that doesn't exist"));
    }

    [Theory]
    [InlineData("mintest", "v1.0")]
    [InlineData("simplerun", "a/b")]
    [InlineData("dep-tests", "std/0")]
    [InlineData("dynamic-waiton-example", "std/0")]
    public void EveryTestconfigOfEveryArea_ReadsWithoutWarnings(string areaName, string target)
    {
        using var tmp = new TempDir();
        var area = CopyArea(tmp, areaName);
        var env = Cfg.Env(("PWD", area));
        var cfg = AreaConfig.Load(area, target, env);
        Assert.Empty(cfg.Megatest.Warnings);
        Assert.Empty(cfg.RunConfigs.Warnings);
        foreach (var test in cfg.AllTestNames())
        {
            var data = cfg.ReadTestConfig(test, env.Clone());
            Assert.Empty(data.Warnings);
            Assert.True(data.HasSection("ezsteps"), test);
        }
    }
}
