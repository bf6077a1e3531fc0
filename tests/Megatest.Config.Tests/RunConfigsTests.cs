using Megatest.Config;

namespace Megatest.Config.Tests;

public class RunConfigsTests
{
    private static ConfigData ReadRc(string text, string? target, EnvironmentScope? env = null) =>
        Cfg.Read(text, ConfigKind.RunConfigs, env: env, target: target, allowShell: target is not null);

    [Fact]
    public void SpecExample_WildcardThenExact_ExactWinsForB()
    {
        var text = "[default]\nA default-a\n[x/%/y]\nA wild-a\nB wild-b\n[x/2/y]\nB exact-b\n";
        var data = ReadRc(text, "x/2/y");
        Assert.Equal("wild-a", data.Get("x/2/y", "A"));
        Assert.Equal("exact-b", data.Get("x/2/y", "B"));
        Assert.Equal("default-a", data.Get("default", "A"));
        Assert.Equal(["default", "x/2/y"], data.SectionNames);

        // Exported default then target: the target wins.
        var env = Cfg.Env();
        AreaConfig.ExportRunConfigs(data, "x/2/y", env, "/");
        Assert.Equal("wild-a", env.Get("A"));
        Assert.Equal("exact-b", env.Get("B"));
    }

    [Fact]
    public void ExactThenWildcard_WildcardWinsBecauseItComesLater()
    {
        var data = ReadRc("[x/2/y]\nB exact-b\n[x/%/y]\nB wild-b\n", "x/2/y");
        Assert.Equal("wild-b", data.Get("x/2/y", "B"));
    }

    [Fact]
    public void RegexSection_FullMatch()
    {
        var data = ReadRc("[/x\\/[0-9]+\\/y/]\nR regex\n[/2\\/y/]\nP partial\n", "x/23/y");
        Assert.Equal("regex", data.Get("x/23/y", "R"));
        Assert.Null(data.Get("x/23/y", "P"));
    }

    [Fact]
    public void NonMatchingSections_AreDropped_OnlyDefaultAndTargetSurvive()
    {
        var data = ReadRc("[default]\nD 1\n[other/1]\nO 1\n[a/%]\nW 1\n[x/1]\nT 1\n", "x/1");
        Assert.Equal(["default", "x/1"], data.SectionNames);
        Assert.Equal("1", data.Get("x/1", "T"));
        Assert.Null(data.Get("x/1", "W"));
    }

    [Fact]
    public void TargetSectionIsPreCreated_EvenWhenNotInFile()
    {
        var data = ReadRc("[default]\nD 1\n[%]\nW wild\n", "p/q");
        Assert.Equal("wild", data.Get("p/q", "W"));
        Assert.Null(data.Get("default", "W"));
    }

    [Fact]
    public void PercentMatchesAnyText()
    {
        Assert.True(ConfigParser.WildcardMatcher("a/%/c")("a/bb/c"));
        Assert.True(ConfigParser.WildcardMatcher("a/%")("a/b/c"));
        Assert.True(ConfigParser.WildcardMatcher("%a%a%")("aa"));
        Assert.False(ConfigParser.WildcardMatcher("%a%a%")("a"));
        Assert.False(ConfigParser.WildcardMatcher("ab%ba")("aba"));
        Assert.False(ConfigParser.WildcardMatcher("a/%/c")("xa/b/c"));
        Assert.False(ConfigParser.WildcardMatcher("a.b%")("axb"));
    }

    [Fact]
    public void NullTarget_KeepsAllSectionsAndRunsNoShell()
    {
        var data = ReadRc("[default]\nD #{shell echo hi}\n[a/%]\nW 1\n[x/1]\nT 1\n", null);
        Assert.Equal(["default", "a/%", "x/1"], data.SectionNames);
        Assert.Equal("#{(shell) echo hi}", data.Get("default", "D"));
    }

    [Fact]
    public void ShellHelpers_RunOnlyInDefaultAndTargetSections()
    {
        var data = ReadRc("[default]\nD #{shell echo d}\n[other]\nO #{shell echo o}\n[x]\nT #{shell echo t}\n", "x");
        Assert.Equal("d", data.Get("default", "D"));
        Assert.Equal("t", data.Get("x", "T"));
    }

    [Fact]
    public void Rget_UsesTargetSectionBeingRead()
    {
        var data = ReadRc("[default]\nBASE /b\nV dv\n[x]\nV tv\nP #{rget BASE}/#{rget V}\n", "x");
        Assert.Equal("/b/tv", data.Get("x", "P"));
    }

    [Fact]
    public void InvalidRegexSection_IsErrorWithFileAndLine()
    {
        var ex = Assert.Throws<ConfigException>(() =>
            Cfg.Read("[default]\n[/x(/]\nA 1\n", ConfigKind.RunConfigs, target: "x", fileName: "runconfigs.config"));
        Assert.Equal(2, ex.Line);
        Assert.StartsWith("runconfigs.config:2: ", ex.Message);
    }

    [Fact]
    public void TargetSectionNotInFileAndNotFilled_IsNotReported()
    {
        var data = ReadRc("[default]\nD 1\n[other]\nO 1\n", "x/1");
        Assert.Equal(["default"], data.SectionNames);
        Assert.False(data.HasSection("x/1"));

        var literalEmpty = ReadRc("[default]\n[x/1]\n", "x/1");
        Assert.Equal(["default", "x/1"], literalEmpty.SectionNames);

        var noDefault = ReadRc("[x/1]\nT 1\n", "x/1");
        Assert.Equal(["x/1"], noDefault.SectionNames);
    }
}
