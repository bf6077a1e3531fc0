namespace Megatest.Integration.Tests;

/// <summary>
/// The whole corpus again with <c>[db] api new</c> in each copy's megatest.config: the same outcomes, read with the
/// same SQL once the run files are attached, and the main database holds runs but no tests.
/// </summary>
public sealed class PerRunCorpusAreaTests : CorpusAreaTests
{
    protected override string CopyArea(string name)
    {
        var area = base.CopyArea(name);
        var config = Path.Combine(area, "megatest.config");
        File.SetUnixFileMode(config, File.GetUnixFileMode(config) | UnixFileMode.UserWrite);
        File.AppendAllText(config, "\n[db]\napi new\n");
        return area;
    }

    protected override AreaDb OpenDb(string area)
    {
        var main = Path.Combine(area, "megatest.db");
        var db = new AreaDb(main);
        Assert.Equal(0L, db.Query("SELECT count(*) FROM main.tests")[0][0]);
        var runs = (long)db.Query("SELECT count(*) FROM runs")[0][0]!;
        Assert.Equal(runs, db.AttachRunFiles(main));
        return db;
    }
}
