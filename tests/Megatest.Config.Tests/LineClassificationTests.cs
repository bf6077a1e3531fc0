using Megatest.Config;

namespace Megatest.Config.Tests;

public class LineClassificationTests
{
    [Fact]
    public void KeyValue_TakesFirstTokenAsKeyAndRestVerbatim()
    {
        var data = Cfg.Read("[s]\nkey   some value  with  spaces\n");
        Assert.Equal("some value  with  spaces", data.Get("s", "key"));
    }

    [Fact]
    public void LinesBeforeFirstHeader_GoToDefaultSection()
    {
        var data = Cfg.Read("a 1\n[s]\nb 2\n");
        Assert.Equal("1", data.Get("default", "a"));
        Assert.Equal("2", data.Get("s", "b"));
        Assert.Null(data.Get("default", "b"));
    }

    [Fact]
    public void CommentLines_AreIgnored_IncludingIndented()
    {
        var data = Cfg.Read("# top\n[s]\n   # indented comment\na 1\n#b 2\n");
        Assert.Equal(["a"], Cfg.Keys(data, "s"));
    }

    [Fact]
    public void NoTrailingComments_TextAfterValueIsPartOfValue()
    {
        var data = Cfg.Read("[s]\nkey value  # note\n");
        Assert.Equal("value  # note", data.Get("s", "key"));
    }

    [Fact]
    public void BlankLinesAreIgnored()
    {
        var data = Cfg.Read("[s]\n\n   \na 1\n\n\nb 2\n");
        Assert.Equal(["a", "b"], Cfg.Keys(data, "s"));
        Assert.Empty(data.Warnings);
    }

    [Fact]
    public void SectionHeader_MayContainSlashesPercentAndSpaces_AndNamingCreatesIt()
    {
        var data = Cfg.Read("[a/b]\n[x %/y z]\n[empty]\n");
        Assert.Equal(["a/b", "x %/y z", "empty"], data.SectionNames);
        Assert.True(data.HasSection("empty"));
        Assert.Empty(data.Section("empty"));
        Assert.False(data.HasSection("nothere"));
        Assert.Empty(data.Section("nothere"));
    }

    [Fact]
    public void ReopenedSection_AppendsNewKeys()
    {
        var data = Cfg.Read("[s]\na 1\n[t]\nx 0\n[s]\nb 2\n");
        Assert.Equal(["a", "b"], Cfg.Keys(data, "s"));
        Assert.Equal(["s", "t"], data.SectionNames);
    }

    [Fact]
    public void RedefiningKey_ReplacesValueAndMovesKeyToEnd()
    {
        var data = Cfg.Read("[s]\na 1\nb 2\nc 3\na 4\n");
        Assert.Equal(["b", "c", "a"], Cfg.Keys(data, "s"));
        Assert.Equal("4", data.Get("s", "a"));
    }

    [Fact]
    public void KeyAlone_HasEmptyValue_AndExportsEmptyVariable()
    {
        var env = Cfg.Env();
        var data = Cfg.Read("[items]\nNADA \nOTHER\n", env: env);
        Assert.Equal(string.Empty, data.Get("items", "NADA"));
        Assert.Equal(string.Empty, data.Get("items", "OTHER"));
        Assert.Equal(string.Empty, env.Get("NADA"));
        Assert.Equal(string.Empty, env.Get("OTHER"));
    }

    [Fact]
    public void KeyAloneWithColon_IsNotExported()
    {
        var env = Cfg.Env();
        var data = Cfg.Read("[s]\na:b\n", env: env);
        Assert.Equal(string.Empty, data.Get("s", "a:b"));
        Assert.Null(env.Get("a:b"));
    }

    [Fact]
    public void ProblemParsingLine_IsIgnoredWithWarningNamingFileAndLine()
    {
        var data = Cfg.Read("[s]\n\n   indented without key\nb 2\n", fileName: "/x/my.config");
        Assert.Equal(["b"], Cfg.Keys(data, "s"));
        var warning = Assert.Single(data.Warnings);
        Assert.StartsWith("/x/my.config:3: ", warning);
        Assert.Contains("problem parsing", warning);
    }

    [Fact]
    public void TrailingSpaces_KeptByDefault()
    {
        var data = Cfg.Read("[s]\na value  \n");
        Assert.Equal("value  ", data.Get("s", "a"));
    }

    [Fact]
    public void TrimTrailingSpacesSetting_AppliesFromThatPointOn()
    {
        var data = Cfg.Read("[s]\na value  \n[configf:settings trim-trailing-spaces yes]\nb value  \n[configf:settings trim-trailing-spaces no]\nc value  \n");
        Assert.Equal("value  ", data.Get("s", "a"));
        Assert.Equal("value", data.Get("s", "b"));
        Assert.Equal("value  ", data.Get("s", "c"));
        Assert.False(data.HasSection("configf:settings trim-trailing-spaces yes"));
    }

    [Fact]
    public void TrimTrailingSpacesSetting_AnyValueOtherThanNoTurnsItOn()
    {
        var data = Cfg.Read("[configf:settings trim-trailing-spaces 1]\n[s]\na value \t\n");
        Assert.Equal("value", data.Get("s", "a"));
    }

    [Fact]
    public void LocationOf_GivesFileAndLine()
    {
        var data = Cfg.Read("[s]\n\na 1\n", fileName: "/x/f.config");
        Assert.Equal(new ConfigLocation("/x/f.config", 3), data.LocationOf("s", "a"));
        Assert.Null(data.LocationOf("s", "zz"));
    }

    [Fact]
    public void Set_CreatesSectionAndMovesKeyToEnd()
    {
        var data = Cfg.Read("[s]\na 1\nb 2\n");
        data.Set("s", "a", "9");
        data.Set("new", "k", "v");
        Assert.Equal(["b", "a"], Cfg.Keys(data, "s"));
        Assert.Equal("9", data.Get("s", "a"));
        Assert.Equal("v", data.Get("new", "k"));
    }

    [Fact]
    public void CrLfLineEndings_AreAccepted()
    {
        var data = Cfg.Read("[s]\r\na 1\r\nb 2\r\n");
        Assert.Equal("1", data.Get("s", "a"));
        Assert.Equal("2", data.Get("s", "b"));
    }
}
