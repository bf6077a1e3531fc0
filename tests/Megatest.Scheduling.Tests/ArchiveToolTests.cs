using Megatest.Config;

namespace Megatest.Scheduling.Tests;

/// <summary>-archive's modes and tools: only names this program writes are read back, and the tool is chosen as documented.</summary>
public sealed class ArchiveToolTests
{
    [Theory]
    [InlineData("area-3-20261128T101010000.tar.zst")]
    [InlineData("area-3-20261128T101010000/latest")]
    public void NameProblem_AcceptsTheNamesThisProgramWrites(string archive) => Assert.Null(ArchiveTool.NameProblem(archive));

    [Theory]
    [InlineData("../../etc/passwd.tar.zst")]
    [InlineData("a/b.tar.zst")]
    [InlineData("name/latest/../../x")]
    [InlineData(".hidden.tar.zst")]
    [InlineData("name; rm -rf x.tar.zst")]
    [InlineData("")]
    public void NameProblem_RefusesAnythingElse(string archive) => Assert.NotNull(ArchiveTool.NameProblem(archive));

    [Fact]
    public void BaseName_IsTheManifestStem()
    {
        Assert.Equal("a-1-t", ArchiveTool.BaseName("a-1-t.tar.zst"));
        Assert.Equal("a-1-t", ArchiveTool.BaseName("a-1-t/latest"));
    }

    [Fact]
    public void ModeProblem_NamesTheModes()
    {
        foreach (var mode in RunArchiver.Modes)
        {
            Assert.Null(RunArchiver.ModeProblem(mode));
        }

        Assert.Equal("-archive 'zip': the mode is one of save, save-remove, keep-html, restore", RunArchiver.ModeProblem("zip"));
    }

    [Fact]
    public void Choose_RefusesAnUnknownToolAndAMissingBup()
    {
        var unknown = new ConfigData();
        unknown.Set("archive", "tool", "zip");
        Assert.Equal("[archive] tool 'zip': use bup or tar", Assert.Throws<ArchiveException>(() => ArchiveTool.Choose(unknown)).Message);

        var missing = new ConfigData();
        missing.Set("archive", "tool", "bup");
        missing.Set("archive", "bup", "/no/such/bup");
        Assert.Contains("'/no/such/bup' is not installed", Assert.Throws<ArchiveException>(() => ArchiveTool.Choose(missing)).Message, StringComparison.Ordinal);
    }
}
