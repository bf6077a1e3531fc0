using Megatest.Config;
using Megatest.Testing;

namespace Megatest.Config.Tests;

public class AreaConfigTests
{
    private static string MakeArea(TempDir tmp, string megatest, string? runconfigs = null)
    {
        var area = Path.Combine(tmp.Path, "area");
        Directory.CreateDirectory(area);
        File.WriteAllText(Path.Combine(area, "megatest.config"), megatest);
        if (runconfigs is not null)
        {
            File.WriteAllText(Path.Combine(area, "runconfigs.config"), runconfigs);
        }

        return area;
    }

    private static void MakeTest(string dir, string name, string testconfig)
    {
        Directory.CreateDirectory(Path.Combine(dir, name));
        File.WriteAllText(Path.Combine(dir, name, "testconfig"), testconfig);
    }

    [Fact]
    public void Load_FindsConfigUpwardFromSubdirectory()
    {
        using var tmp = new TempDir();
        var area = MakeArea(tmp, "[fields]\nK TEXT\n");
        var deep = Directory.CreateDirectory(Path.Combine(area, "x", "y")).FullName;
        var cfg = AreaConfig.Load(deep, null, Cfg.Env());
        Assert.Equal(area, cfg.TopPath);
        Assert.Equal(Path.Combine(area, "megatest.config"), cfg.FileName);
        Assert.Equal(area + "/lt", cfg.LinkTree);
        Assert.Equal("area", cfg.Environment.Get("MT_TESTSUITENAME"));
        Assert.Null(cfg.Environment.Get("MT_TARGET"));
    }

    [Fact]
    public void LocateDatabase_ReadsOnlyMegatestConfig_HonoursDbdir()
    {
        using var tmp = new TempDir();
        // A runconfigs.config that cannot be read: a query that only needs the database never looks at it.
        var area = MakeArea(tmp, "[fields]\nK TEXT\n\n[setup]\ndbdir data\n", "[default]\n#{scheme (+ 1 2)}\n");
        var deep = Directory.CreateDirectory(Path.Combine(area, "x")).FullName;

        var path = AreaConfig.LocateDatabase(deep, Cfg.Env());

        Assert.Equal(Path.Combine(area, "data", "megatest.db"), path);
        Assert.Throws<ConfigException>(() => AreaConfig.Load(deep, null, Cfg.Env()));
    }

    [Fact]
    public void LocateDatabase_EqualsTheLoadedAreasDatabasePath()
    {
        using var tmp = new TempDir();
        var area = MakeArea(tmp, "[fields]\nK TEXT\n", "[default]\nX 1\n");

        Assert.Equal(AreaConfig.Load(area, null, Cfg.Env()).DatabasePath, AreaConfig.LocateDatabase(area, Cfg.Env()));
        Assert.Equal(Path.Combine(area, "megatest.db"), AreaConfig.LocateDatabase(area, Cfg.Env()));
        Assert.Throws<AreaNotFoundException>(() => AreaConfig.LocateDatabase(tmp.Path, Cfg.Env()));
    }

    [Fact]
    public void Load_NoConfigAnywhere_AreaNotFoundNamingStartDir()
    {
        using var tmp = new TempDir();
        var ex = Assert.Throws<AreaNotFoundException>(() => AreaConfig.Load(tmp.Path, null, Cfg.Env(), "no-such-megatest.config"));
        Assert.Contains(tmp.Path, ex.Message);
    }

    [Fact]
    public void Load_WrongCountTarget_TargetException()
    {
        using var tmp = new TempDir();
        var area = MakeArea(tmp, "[fields]\nA TEXT\nB TEXT\n");
        var ex = Assert.Throws<TargetException>(() => AreaConfig.Load(area, "x", Cfg.Env()));
        Assert.Equal("Invalid target 'x': expected 2 values for keys A/B", ex.Message);
        Assert.Throws<TargetException>(() => AreaConfig.Load(area, "x//", Cfg.Env()));
        Assert.Throws<TargetException>(() => AreaConfig.Load(area, "x/", Cfg.Env()));
    }

    [Fact]
    public void Load_ReservedKeyRejectedWithFileAndLine()
    {
        using var tmp = new TempDir();
        var area = MakeArea(tmp, "[fields]\nA TEXT\nrunname TEXT\n");
        var ex = Assert.Throws<ConfigException>(() => AreaConfig.Load(area, null, Cfg.Env()));
        Assert.Equal(Path.Combine(area, "megatest.config"), ex.FileName);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void Load_AreaNameFromSetup()
    {
        using var tmp = new TempDir();
        var area = MakeArea(tmp, "[fields]\nA TEXT\n[setup]\narea-name myarea\n");
        Assert.Equal("myarea", AreaConfig.Load(area, "v", Cfg.Env()).Environment.Get("MT_TESTSUITENAME"));
        var area2 = MakeArea(tmp, "[fields]\nA TEXT\n[setup]\ntestsuite suite2\n");
        Assert.Equal("suite2", AreaConfig.Load(area2, "v", Cfg.Env()).Environment.Get("MT_TESTSUITENAME"));
    }

    [Fact]
    public void Load_RunconfigsDefaultThenTargetExportedWithEcho_AndKeysExported()
    {
        using var tmp = new TempDir();
        var area = MakeArea(tmp,
            "[fields]\nSYS TEXT\nREL TEXT\n[env-override]\nEO $SYS-override\n",
            "[default]\nA default-a\nB $SYS/$REL\nLATE #{rget A}\n[x/%]\nA wild-a\n[x/1]\nC exact-c\n[y/1]\nA other\n");
        var env = Cfg.Env();
        var cfg = AreaConfig.Load(area, "x/1", env);
        Assert.Same(env, cfg.Environment);
        Assert.Equal("x", env.Get("SYS"));
        Assert.Equal("1", env.Get("REL"));
        Assert.Equal("x/1", env.Get("MT_TARGET"));
        Assert.Equal("x-override", env.Get("EO"));
        Assert.Equal("wild-a", env.Get("A"));
        Assert.Equal("x/1", env.Get("B"));
        Assert.Equal("exact-c", env.Get("C"));
        Assert.Equal("default-a", env.Get("LATE"));
        Assert.Equal(["default", "x/1"], cfg.RunConfigs.SectionNames);
    }

    [Fact]
    public void Load_NoRunconfigs_EmptyData()
    {
        using var tmp = new TempDir();
        var area = MakeArea(tmp, "[fields]\nA TEXT\n");
        var cfg = AreaConfig.Load(area, "v", Cfg.Env());
        Assert.Empty(cfg.RunConfigs.SectionNames);
    }

    [Fact]
    public void LinkTree_EnvOverridesConfig_RelativeIsUnderTop()
    {
        using var tmp = new TempDir();
        var area = MakeArea(tmp, "[fields]\nA TEXT\n[setup]\nlinktree links\n");
        Assert.Equal(Path.Combine(area, "links"), AreaConfig.Load(area, null, Cfg.Env()).LinkTree);
        Assert.Equal("/elsewhere", AreaConfig.Load(area, null, Cfg.Env(("MT_LINKTREE", "/elsewhere"))).LinkTree);
    }

    [Fact]
    public void TestsPaths_SearchedFirst_MissingDropped_AllTestNamesSortedUnique()
    {
        using var tmp = new TempDir();
        var extra = Directory.CreateDirectory(Path.Combine(tmp.Path, "extra")).FullName;
        var area = MakeArea(tmp, $"[fields]\nA TEXT\n[tests-paths]\np1 {extra}\np2 /does/not/exist\n");
        MakeTest(Path.Combine(area, "tests"), "t1", "[test_meta]\nwhere main\n");
        MakeTest(Path.Combine(area, "tests"), "b", "[test_meta]\nwhere main\n");
        MakeTest(extra, "t1", "[test_meta]\nwhere extra\n");
        MakeTest(extra, "a", "[test_meta]\nwhere extra\n");
        Directory.CreateDirectory(Path.Combine(area, "tests", "notatest"));

        var env = Cfg.Env();
        var cfg = AreaConfig.Load(area, "v", env);
        Assert.Equal([extra, Path.Combine(area, "tests")], cfg.TestsDirectories);
        Assert.Contains(cfg.Megatest.Warnings, w => w.Contains("/does/not/exist"));
        Assert.Equal(["a", "b", "t1"], cfg.AllTestNames());
        Assert.Equal(Path.Combine(extra, "t1"), cfg.FindTestDirectory("t1"));
        Assert.Equal("extra", cfg.ReadTestConfig("t1", env).Get("test_meta", "where"));
        Assert.Throws<FileNotFoundException>(() => cfg.ReadTestConfig("notatest", env));
    }

    [Fact]
    public void ReadTestConfig_SetsTestNameAndUsesTarget_ShellCanBeDisabled()
    {
        using var tmp = new TempDir();
        var area = MakeArea(tmp, "[fields]\nA TEXT\n", "[default]\nV dv\n[v1]\nV tv\n");
        MakeTest(Path.Combine(area, "tests"), "t", "[s]\nname #{getenv MT_TEST_NAME}\nhome #{mtrah}\nsh #{shell echo ran}\nkey #{getenv A}\n[pre-launch-env-vars]\nPLV $V-x\n");
        var env = Cfg.Env();
        var cfg = AreaConfig.Load(area, "v1", env);
        var data = cfg.ReadTestConfig("t", env);
        Assert.Equal("t", data.Get("s", "name"));
        Assert.Equal(area, data.Get("s", "home"));
        Assert.Equal("ran", data.Get("s", "sh"));
        Assert.Equal("v1", data.Get("s", "key"));
        Assert.Equal("tv-x", env.Get("PLV"));

        var env2 = cfg.Environment.Clone();
        env2.Set("PLV", null);
        var noShell = cfg.ReadTestConfig("t", env2, allowShell: false);
        Assert.Equal("#{(shell) echo ran}", noShell.Get("s", "sh"));
        Assert.Null(env2.Get("PLV"));
    }

    [Fact]
    public void ReadRunConfigs_NullTargetKeepsAllSectionsForListing()
    {
        using var tmp = new TempDir();
        var path = Path.Combine(tmp.Path, "runconfigs.config");
        File.WriteAllText(path, "[default]\nA 1\n[x/1]\nB 2\n[y/%]\nC 3\n");
        var all = AreaConfig.ReadRunConfigs(path, null, Cfg.Env());
        Assert.Equal(["default", "x/1", "y/%"], all.SectionNames);
        var one = AreaConfig.ReadRunConfigs(path, "y/2", Cfg.Env());
        Assert.Equal(["default", "y/2"], one.SectionNames);
        Assert.Equal("3", one.Get("y/2", "C"));
    }
}
