using Megatest.Config;
using Megatest.Testing;

namespace Megatest.Config.Tests;

public class HelperTests
{
    [Fact]
    public void Getenv_AndGv()
    {
        var data = Cfg.Read("[s]\na #{getenv FOO}\nb #{gv FOO}/x\nc #{getenv UNSET_VAR}\n", env: Cfg.Env(("FOO", "bar")));
        Assert.Equal("bar", data.Get("s", "a"));
        Assert.Equal("bar/x", data.Get("s", "b"));
        Assert.Equal("#f", data.Get("s", "c"));
    }

    [Fact]
    public void Get_AndG_SeeEarlierDefinitionsOnly()
    {
        var data = Cfg.Read("[misc]\nparent /p\n[setup]\nlinktree #{get misc parent}/links\nother #{g misc parent}\nlater #{get misc later}\n[misc]\nlater x\n");
        Assert.Equal("/p/links", data.Get("setup", "linktree"));
        Assert.Equal("/p", data.Get("setup", "other"));
        Assert.Equal("#f", data.Get("setup", "later"));
    }

    [Fact]
    public void NestedHelpers_ExpandInsideOut()
    {
        var text = "[std]\ngenlib setup\n[requirements]\nwaiton #{get #{getenv DEPS} genlib}\n";
        Assert.Equal("setup", Cfg.Read(text, env: Cfg.Env(("DEPS", "std"))).Get("requirements", "waiton"));
        Assert.Equal("#f", Cfg.Read(text, env: Cfg.Env(("DEPS", "simple"))).Get("requirements", "waiton"));
    }

    [Fact]
    public void SeveralHelpersOnOneLine_AllExpanded()
    {
        var data = Cfg.Read("[s]\nk #{getenv A}-#{getenv B}-#{getenv A}\n", env: Cfg.Env(("A", "1"), ("B", "2")));
        Assert.Equal("1-2-1", data.Get("s", "k"));
    }

    [Fact]
    public void HelperResultStartingLine_WithHashF_IsComment()
    {
        var env = Cfg.Env(("MT_TEST_NAME", "results"), ("WAITON_genlib", "waiton setup"), ("WAITON_setup", ""));
        var text = "[requirements]\n#{getenv WAITON_#{getenv MT_TEST_NAME}}\n";
        var data = Cfg.Read(text, env: env);
        Assert.True(data.HasSection("requirements"));
        Assert.Empty(data.Section("requirements"));
        Assert.Empty(data.Warnings);

        env.Set("MT_TEST_NAME", "genlib");
        Assert.Equal("setup", Cfg.Read(text, env: env).Get("requirements", "waiton"));

        env.Set("MT_TEST_NAME", "setup");
        var blank = Cfg.Read(text, env: env);
        Assert.Empty(blank.Section("requirements"));
        Assert.Empty(blank.Warnings);
    }

    [Fact]
    public void HashF_InValuePosition_IsLiteralValue()
    {
        var data = Cfg.Read("[s]\nwaiton #{getenv NOPE}\n");
        Assert.Equal("#f", data.Get("s", "waiton"));
    }

    [Fact]
    public void Rget_TargetSectionThenDefault()
    {
        var text = "[default]\nA da\nB db\n[x/y]\nA ta\n[s]\na #{rget A}\nb #{runconfigs-get B}\nc #{rget C}\n";
        var data = Cfg.Read(text, target: "x/y");
        Assert.Equal("ta", data.Get("s", "a"));
        Assert.Equal("db", data.Get("s", "b"));
        Assert.Equal("#f", data.Get("s", "c"));
    }

    [Fact]
    public void Shell_AndSh_OutputNewlinesBecomeSpaces()
    {
        var data = Cfg.Read("[s]\na #{shell printf 'x\\ny\\n'}\nb #{sh echo $FOO}\n", env: Cfg.Env(("FOO", "from-scope")));
        Assert.Equal("x y", data.Get("s", "a"));
        Assert.Equal("from-scope", data.Get("s", "b"));
    }

    [Fact]
    public void Shell_RunsInWorkingDirectory()
    {
        using var tmp = new TempDir();
        var data = Cfg.Read("[s]\nd #{shell pwd -P}\n", workingDirectory: tmp.Path);
        Assert.Equal(PathUtil.RealPath(tmp.Path), data.Get("s", "d"));
    }

    [Fact]
    public void Shell_FailureGivesEmptyStringAndWarning()
    {
        var data = Cfg.Read("[s]\na x#{shell echo partial; exit 3}y\n", fileName: "f.config");
        Assert.Equal("xy", data.Get("s", "a"));
        var w = Assert.Single(data.Warnings);
        Assert.StartsWith("f.config:2: ", w);
        Assert.Contains("exit 3", w);
    }

    [Fact]
    public void System_GivesExitCode()
    {
        var data = Cfg.Read("[s]\nok #{system true}\nbad #{system echo hidden; exit 7}\n");
        Assert.Equal("0", data.Get("s", "ok"));
        Assert.Equal("7", data.Get("s", "bad"));
    }

    [Fact]
    public void ShellHelpers_NotRunWhenShellNotAllowed_OthersStillExpand()
    {
        using var tmp = new TempDir();
        var marker = Path.Combine(tmp.Path, "ran");
        var data = Cfg.Read($"[s]\na #{{shell touch {marker}}}\nb #{{system touch {marker}}}\nc #{{getenv FOO}}\n",
            env: Cfg.Env(("FOO", "f")), allowShell: false);
        Assert.Equal($"#{{(shell) touch {marker}}}", data.Get("s", "a"));
        Assert.Equal($"#{{(system) touch {marker}}}", data.Get("s", "b"));
        Assert.Equal("f", data.Get("s", "c"));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Rp_AndRealpath_NormaliseWithoutResolvingSymlinks()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "real"));
        Directory.CreateSymbolicLink(Path.Combine(tmp.Path, "link"), Path.Combine(tmp.Path, "real"));
        var data = Cfg.Read("[s]\na #{rp link/./x/../y}\nb #{realpath /a/b/../c/}\nc #{rp ~/z}\n",
            env: Cfg.Env(("HOME", "/home/someone")), workingDirectory: tmp.Path);
        Assert.Equal(Path.Combine(tmp.Path, "link", "y"), data.Get("s", "a"));
        Assert.Equal("/a/c", data.Get("s", "b"));
        Assert.Equal("/home/someone/z", data.Get("s", "c"));
    }

    [Fact]
    public void Mtrah_WithAndWithoutSubpath_AndBareForm()
    {
        var data = Cfg.Read("[s]\na #{mtrah}\nb #{mtrah }\nc #{mtrah sub/dir}\n", areaHome: "/area");
        Assert.Equal("/area", data.Get("s", "a"));
        Assert.Equal("/area", data.Get("s", "b"));
        Assert.Equal("/area/sub/dir", data.Get("s", "c"));
    }

    [Fact]
    public void Mtrah_FallsBackToMtRunAreaHome()
    {
        var data = Cfg.Read("[s]\na #{mtrah x}\n", env: Cfg.Env(("MT_RUN_AREA_HOME", "/home/area")));
        Assert.Equal("/home/area/x", data.Get("s", "a"));
    }

    [Theory]
    [InlineData("scheme")]
    [InlineData("scm")]
    public void Scheme_IsClearErrorNamingFileAndLine(string keyword)
    {
        var ex = Assert.Throws<ConfigException>(() => Cfg.Read($"[s]\n\nk #{{{keyword} (+ 1 2)}}\n", fileName: "/a/megatest.config"));
        Assert.Equal("/a/megatest.config", ex.FileName);
        Assert.Equal(3, ex.Line);
        Assert.StartsWith("/a/megatest.config:3: scheme helpers are not supported", ex.Message);
    }

    [Fact]
    public void UnknownHelperKeyword_IsLeftAsIs()
    {
        var data = Cfg.Read("[s]\nk #{nothing here}\n");
        Assert.Equal("#{nothing here}", data.Get("s", "k"));
    }

    [Fact]
    public void HelpersInCommentLines_AreNotRun()
    {
        using var tmp = new TempDir();
        var marker = Path.Combine(tmp.Path, "ran");
        var data = Cfg.Read($"[s]\n# k #{{shell touch {marker}}}\n");
        Assert.Empty(data.Section("s"));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void SystemKey_ValueIsCommandOutput()
    {
        var data = Cfg.Read("[items]\nVALS [system printf 'a\\nb\\nc\\n']\n");
        Assert.Equal("a b c", data.Get("items", "VALS"));
    }

    [Fact]
    public void SystemKey_DroppedWhenShellNotAllowed()
    {
        var data = Cfg.Read("[items]\nVALS [system echo a]\nX 1\n", allowShell: false);
        Assert.Equal(["X"], Cfg.Keys(data, "items"));
    }

    [Fact]
    public void SelfReferencingExpansion_IsErrorNamingFileAndLine()
    {
        var ex = Assert.Throws<ConfigException>(() =>
            Cfg.Read("[s]\nk #{getenv LOOP}\n", env: Cfg.Env(("LOOP", "x#{getenv LOOP}")), fileName: "f.config"));
        Assert.Equal(2, ex.Line);
        Assert.StartsWith("f.config:2: ", ex.Message);
    }

    [Fact]
    public void FailingHelper_GivesMarkerAndWarning()
    {
        var data = Cfg.Read("[s]\nk #{rp a\0b}\nnext 1\n", fileName: "f.config");
        Assert.Contains("helper rp", data.Get("s", "k"));
        Assert.Equal("1", data.Get("s", "next"));
        Assert.Contains(data.Warnings, w => w.StartsWith("f.config:2: ", StringComparison.Ordinal));
    }

    [Fact]
    public void SystemKey_FailingCommandWarns()
    {
        var data = Cfg.Read("[items]\nVALS [system echo a; exit 2]\n", fileName: "f.config");
        Assert.Equal("a", data.Get("items", "VALS"));
        Assert.Contains(data.Warnings, w => w.StartsWith("f.config:2: ", StringComparison.Ordinal));
    }
}
