using System.Security.Cryptography;
using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// -archive on a real Megatest area (the corpus simplerun, copied): save-remove takes the run directories into an
/// [archive-disks] archive and leaves the rows ARCHIVED with the archive's location; restore brings every file back,
/// byte for byte (compared by sha256), with tar+zstd and with bup.
/// </summary>
public sealed class ArchiveTests : IDisposable
{
    private const string Target = "SYSTEM_val/RELEASE_val";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);
    private readonly TempDir _tmp = new("archive");

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("tar", "save-remove", ".tar.zst", "legacy")]
    [InlineData("bup", "keep-html", "/latest", "legacy")]
    [InlineData("tar", "save-remove", ".tar.zst", "new")]
    public async Task RemovingArchiveThenRestore_BringsBackEveryFileByteForByte(string tool, string mode, string archiveSuffix, string api)
    {
        var area = SimpleRun($"[archive-disks]\narchive0 {_tmp.Path}/archive\n\n[archive]\nminspace 1\ntool {tool}\n\n[db]\napi {api}\n");
        await Megatest(area, "-run", "-target", Target, "-runname", "r1", "-testpatt", "%");
        var runDir = Path.Combine(_tmp.Path, "simpleruns", "SYSTEM_val", "RELEASE_val", "r1");
        var before = Hashes(runDir);
        Assert.Contains("test2/desert/step1.log", before.Keys);

        var saved = await Megatest(area, "-archive", mode, "-target", Target, "-runname", "r1", "-testpatt", "%");
        Assert.Contains($"accepted: {mode}: archived 6 tests in 1 runs", saved.Stdout, StringComparison.Ordinal);
        if (mode == "keep-html")
        {
            Assert.False(File.Exists(Path.Combine(runDir, "test1", "step1.log")), "everything but the HTML must be gone");
            Assert.True(File.Exists(Path.Combine(runDir, "test1", "step1.html")), "the log checker's HTML report stays");
        }
        else
        {
            Assert.False(Directory.Exists(Path.Combine(runDir, "test1")), "test1's run directory must be gone");
            Assert.False(Directory.Exists(Path.Combine(runDir, "test2", "desert")), "the items' run directories must be gone");
        }
        using (var db = AreaDb.OfArea(area, api, runFiles: 1))
        {
            var tests = db.Tests("r1");
            Assert.Equal(7, tests.Count);
            Assert.All(tests.Values, t => Assert.Equal("ARCHIVED", t.State)); // the toplevel rolls up from its items
            var top = db.Query("SELECT archived FROM tests WHERE testname = 'test2' AND item_path = ''");
            Assert.Equal(0L, top[0][0]); // a toplevel with items is not archived itself
            var archives = db.Query(
                "SELECT t.testname, t.archived, a.archive_path, b.disk_path, d.archive_area_name FROM tests t JOIN archives a ON a.test_id = t.id " +
                "JOIN archive_blocks b ON b.id = a.archive_block_id AND b.id = t.archived JOIN archive_disks d ON d.id = b.archive_disk_id");
            Assert.Equal(6, archives.Count);
            Assert.All(archives, a =>
            {
                Assert.EndsWith(archiveSuffix, a[2]?.ToString(), StringComparison.Ordinal);
                Assert.StartsWith(Path.Combine(_tmp.Path, "archive") + "/", a[3]?.ToString(), StringComparison.Ordinal);
                Assert.Equal("archive0", a[4]?.ToString());
            });
        }

        var restored = await Megatest(area, "-archive", "restore", "-target", Target, "-runname", "r1", "-testpatt", "%");
        Assert.Contains("accepted: restore: restored 6 tests in 1 runs", restored.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, Hashes(runDir));
        Assert.True(File.Exists(Path.Combine(_tmp.Path, "simplelinks", "SYSTEM_val", "RELEASE_val", "r1", "test1", "step1.log")), "the link tree leads to the restored files again");
        using (var db = AreaDb.OfArea(area, api, runFiles: 1))
        {
            Assert.All(db.Tests("r1").Values, t => Assert.Equal(("COMPLETED", "PASS"), (t.State, t.Status)));
        }
    }

    [Fact]
    public async Task Archive_WithoutArchiveDisks_IsRejectedWithTheReason()
    {
        var area = SimpleRun("");
        await Megatest(area, "-run", "-target", Target, "-runname", "r1", "-testpatt", "test1");
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-archive", "save", "-target", Target, "-runname", "r1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("rejected: no [archive-disks] in megatest.config", result.Stdout, StringComparison.Ordinal);
        var bad = await MegatestProcess.RunAsync(area, s_timeout, "-archive", "zip", "-target", Target, "-runname", "r1");
        Assert.Contains("rejected: -archive 'zip': the mode is one of save, save-remove, keep-html, restore", bad.Stdout, StringComparison.Ordinal);
    }

    private string SimpleRun(string extraConfig)
    {
        var area = _tmp.CopyFrom(Path.Combine(TestPaths.SharedAreas, "simplerun"), "simplerun");
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "simplelinks"));
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "simpleruns"));
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "archive"));
        File.AppendAllText(Path.Combine(area, "megatest.config"), "\n" + extraConfig);
        return area;
    }

    private static async Task<ProcessResult> Megatest(string area, params string[] args)
    {
        var result = await MegatestProcess.RunAsync(area, s_timeout, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>sha256 of every regular file below <paramref name="dir"/>, by relative path.</summary>
    private static SortedDictionary<string, string> Hashes(string dir)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(dir, "*", walk))
        {
            result[Path.GetRelativePath(dir, file)] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return result;
    }
}
