using Megatest.Config;

namespace Megatest.Config.Tests;

public class ExportTests
{
    [Fact]
    public void EnvOverride_ValuesAreEchoEvaluatedAndExportedImmediately()
    {
        var env = Cfg.Env(("BASE", "/base"));
        var text = "[env-override]\nEXAMPLE_VAR example   value\nDERIVED $BASE/x\nQUOTED \"a   b\"\nSUB $(echo sub)\nUSE $DERIVED/y\n[misc]\nseen #{getenv DERIVED}\n";
        var data = Cfg.Read(text, ConfigKind.MegatestConfig, env: env);
        Assert.Equal("example value", env.Get("EXAMPLE_VAR"));
        Assert.Equal("/base/x", env.Get("DERIVED"));
        Assert.Equal("a   b", env.Get("QUOTED"));
        Assert.Equal("sub", env.Get("SUB"));
        Assert.Equal("/base/x/y", env.Get("USE"));
        Assert.Equal("/base/x", data.Get("misc", "seen"));
        Assert.Equal("$BASE/x", data.Get("env-override", "DERIVED"));
    }

    [Fact]
    public void EnvOverride_ExportedBeforeNextLineIsExpanded()
    {
        var env = Cfg.Env();
        var data = Cfg.Read("[env-override]\nFIRST one\nSECOND #{getenv FIRST}-two\n", ConfigKind.MegatestConfig, env: env);
        Assert.Equal("one-two", env.Get("SECOND"));
        Assert.Equal("one-two", data.Get("env-override", "SECOND"));
    }

    [Fact]
    public void EnvOverride_NotSpecialInGenericConfig()
    {
        var env = Cfg.Env();
        Cfg.Read("[env-override]\nFOO bar\n", env: env);
        Assert.Null(env.Get("FOO"));
    }

    [Fact]
    public void EnvOverride_KeyWithColonIsNotExported()
    {
        var env = Cfg.Env();
        var data = Cfg.Read("[env-override]\nA:B value\n", ConfigKind.MegatestConfig, env: env);
        Assert.Equal("value", data.Get("env-override", "A:B"));
        Assert.Null(env.Get("A:B"));
    }

    [Fact]
    public void PreLaunchEnvVars_ExportedForTestconfigWithShell()
    {
        var env = Cfg.Env(("HOME", "/h"));
        Cfg.Read("[pre-launch-env-vars]\nTOOL $HOME/tool\n", ConfigKind.TestConfig, env: env);
        Assert.Equal("/h/tool", env.Get("TOOL"));

        var env2 = Cfg.Env(("HOME", "/h"));
        Cfg.Read("[pre-launch-env-vars]\nTOOL $HOME/tool\n", ConfigKind.TestConfig, env: env2, allowShell: false);
        Assert.Null(env2.Get("TOOL"));
    }

    [Fact]
    public void Fields_KeysExportedFromTargetWhenSectionEnds()
    {
        var env = Cfg.Env();
        var text = "[fields]\nDEPS TEXT\nSPEED TEXT\n[misc]\nd #{getenv DEPS}\ns #{getenv SPEED}\n";
        var data = Cfg.Read(text, ConfigKind.MegatestConfig, env: env, target: "std/0");
        Assert.Equal("std", data.Get("misc", "d"));
        Assert.Equal("0", data.Get("misc", "s"));
        Assert.Equal("std", env.Get("DEPS"));
        Assert.Equal("0", env.Get("SPEED"));
    }

    [Fact]
    public void Fields_TargetTakenFromMtTargetWhenNoTargetOption()
    {
        var env = Cfg.Env(("MT_TARGET", "a/b"));
        Cfg.Read("[fields]\nSYSTEM TEXT\nRELEASE TEXT\n", ConfigKind.MegatestConfig, env: env);
        Assert.Equal("a", env.Get("SYSTEM"));
        Assert.Equal("b", env.Get("RELEASE"));
    }

    [Fact]
    public void Fields_WrongCountTargetNotExportedButWarned()
    {
        var env = Cfg.Env();
        var data = Cfg.Read("[fields]\nA TEXT\nB TEXT\n", ConfigKind.MegatestConfig, env: env, target: "only");
        Assert.Null(env.Get("A"));
        Assert.Single(data.Warnings);
    }

    [Theory]
    [InlineData("runname")]
    [InlineData("state")]
    [InlineData("STATUS")]
    [InlineData("owner")]
    [InlineData("event_time")]
    [InlineData("comment")]
    [InlineData("fail_count")]
    [InlineData("pass_count")]
    [InlineData("contour")]
    public void Fields_ReservedKeyNamesRejectedWithFileAndLine(string name)
    {
        var ex = Assert.Throws<ConfigException>(() =>
            Cfg.Read($"[fields]\nOK TEXT\n{name} TEXT\n[setup]\n", ConfigKind.MegatestConfig, fileName: "/a/megatest.config"));
        Assert.Equal(3, ex.Line);
        Assert.StartsWith("/a/megatest.config:3: ", ex.Message);
        Assert.Contains("reserved", ex.Message);
    }
}
