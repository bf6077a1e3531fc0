using Megatest.Config;
using Megatest.Testing;

namespace Megatest.Config.Tests;

public class EnvironmentAndShellTests
{
    [Fact]
    public void Empty_SetGetRemove_Clone()
    {
        var env = EnvironmentScope.Empty();
        Assert.Empty(env.Variables);
        env.Set("A", "1");
        var clone = env.Clone();
        env.Set("A", null);
        Assert.Null(env.Get("A"));
        Assert.Equal("1", clone.Get("A"));
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1" }, clone.Variables);
    }

    [Fact]
    public void FromProcess_CopiesProcessEnvironmentAndHasPwdOfCurrentDirectory()
    {
        var env = EnvironmentScope.FromProcess();
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), env.Get("PATH"));
        Assert.Equal(PathUtil.RealPath(Directory.GetCurrentDirectory()), PathUtil.RealPath(env.Get("PWD")!));
        env.Set("MEGATEST_CONFIG_TEST_ONLY", "x");
        Assert.Null(Environment.GetEnvironmentVariable("MEGATEST_CONFIG_TEST_ONLY"));
    }

    [Fact]
    public void Run_UsesScopeAsWholeEnvironmentAndWorkingDirectory()
    {
        using var tmp = new TempDir();
        var env = EnvironmentScope.Empty();
        env.Set("ONLY", "this");
        var (code, output) = Shell.Run("echo $ONLY; echo ${HOME:-nohome}; pwd -P", env, tmp.Path);
        Assert.Equal(0, code);
        Assert.Equal("this nohome " + PathUtil.RealPath(tmp.Path), output);
    }

    [Fact]
    public void Run_ReportsExitCodeAndUsesBash()
    {
        var (code, output) = Shell.Run("[[ a == a ]] && echo bash; exit 4", Cfg.Env(), "/");
        Assert.Equal(4, code);
        Assert.Equal("bash", output);
    }

    [Fact]
    public void Run_NewlinesBecomeSpacesEndTrimmed()
    {
        var (_, output) = Shell.Run("printf ' a\\nb\\n\\n'", Cfg.Env(), "/");
        Assert.Equal(" a b", output);
    }

    [Fact]
    public void RealPath_ResolvesSymlinks()
    {
        using var tmp = new TempDir();
        var real = Directory.CreateDirectory(Path.Combine(tmp.Path, "real")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(tmp.Path, "link"), "real");
        Assert.Equal(PathUtil.RealPath(real), PathUtil.RealPath(Path.Combine(tmp.Path, "link")));
        Assert.True(PathUtil.SameDirectory(Path.Combine(tmp.Path, "link"), real));
        Assert.False(PathUtil.SameDirectory(tmp.Path, real));
    }
}
