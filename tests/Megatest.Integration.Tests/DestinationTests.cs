using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// -destination copies finished runs to another area with the same keys (its own db writer writes them) and marks them
/// MOVED here without touching run directories; [setup] allow-runs no refuses runs; [setup] auto-migrate moves each
/// finished run by itself.
/// </summary>
public sealed class DestinationTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private readonly TempDir _tmp = new("destination");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Destination_CopiesTheRunToTheOtherArea_WhereItIsListed()
    {
        var satellite = Area("satellite", "[setup]\nallow-runs no\n");
        var area = Area("area", $"[areas]\nsat path={satellite}\n");
        await Megatest(area, "-run", "-target", "v1", "-runname", "r1", "-testpatt", "%");

        var moved = await Megatest(area, "-destination", "sat", "-target", "v1", "-runname", "r1");
        Assert.Contains("moved 1 runs to sat", moved.Stdout, StringComparison.Ordinal);

        var listed = await Megatest(satellite, "-list-runs", "r1", "-target", "v1", "-dumpmode", "json");
        Assert.Contains("\"runname\": \"r1\"", listed.Stdout, StringComparison.Ordinal);
        using (var there = new AreaDb(Path.Combine(satellite, "megatest.db")))
        {
            Assert.Equal(("COMPLETED", "PASS"), (there.Tests("r1")[("quick", "")].State, there.Tests("r1")[("quick", "")].Status));
            Assert.Equal(2L, there.Query("SELECT count(*) FROM test_steps")[0][0]); // start and end of the step came along
        }

        using (var here = new AreaDb(Path.Combine(area, "megatest.db")))
        {
            Assert.Equal("MOVED", here.Query("SELECT state FROM runs WHERE runname = 'r1'")[0][0]);
        }

        Assert.True(File.Exists(Path.Combine(area, "links", "v1", "r1", "quick", "hello.log")), "run directories stay where they are");

        // The satellite takes no runs of its own.
        var refused = await MegatestProcess.RunAsync(satellite, s_timeout, "-run", "-target", "v1", "-runname", "r2", "-testpatt", "%");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("this area takes no new runs: [setup] allow-runs no", refused.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("legacy", "new")]
    [InlineData("new", "legacy")]
    public async Task Destination_BetweenDbApis_CopiesTestsAndStepsIntoTheOtherLayout(string fromApi, string toApi)
    {
        var satellite = Area("satellite", $"[db]\napi {toApi}\n");
        var area = Area("area", $"[db]\napi {fromApi}\n");
        await Megatest(satellite, "-run", "-target", "v1", "-runname", "r0", "-testpatt", "%"); // the copy gets the next run id there
        await Megatest(area, "-run", "-target", "v1", "-runname", "r1", "-testpatt", "%");

        var moved = await Megatest(area, "-destination", satellite, "-target", "v1", "-runname", "r1");
        Assert.Contains("moved 1 runs to " + satellite, moved.Stdout, StringComparison.Ordinal);

        var listed = await Megatest(satellite, "-list-runs", "r1", "-target", "v1", "-dumpmode", "json");
        Assert.Contains("\"testname\": \"quick\"", listed.Stdout, StringComparison.Ordinal);
        using (var there = AreaDb.OfArea(satellite, toApi, runFiles: 2))
        {
            Assert.Equal(("COMPLETED", "PASS"), (there.Tests("r1")[("quick", "")].State, there.Tests("r1")[("quick", "")].Status));
            Assert.Equal(2L, there.Query("SELECT count(*) FROM test_steps s JOIN tests t ON t.id = s.test_id JOIN runs r ON r.id = t.run_id WHERE r.runname = 'r1'")[0][0]);
            var testId = (long)there.Query("SELECT t.id FROM tests t JOIN runs r ON r.id = t.run_id WHERE r.runname = 'r1'")[0][0]!;
            Assert.Equal(toApi == "new" ? (2L << 32) + 1 : 2L, testId); // a run file's test ids name their run
        }

        using (var here = AreaDb.OfArea(area, fromApi, runFiles: 1))
        {
            Assert.Equal("MOVED", here.Query("SELECT state FROM runs WHERE runname = 'r1'")[0][0]);
            Assert.Single(here.Tests("r1")); // the records stay here too
        }
    }

    [Fact]
    public async Task AutoMigrate_MovesEachFinishedRunByItself()
    {
        var satellite = Area("satellite", "");
        var area = Area("area", $"[setup]\nauto-migrate {satellite}\n");
        var run = await Megatest(area, "-run", "-target", "v1", "-runname", "r1", "-testpatt", "%");
        Assert.Contains("auto-migrate: moved 1 runs to " + satellite, run.Stderr, StringComparison.Ordinal);
        using var there = new AreaDb(Path.Combine(satellite, "megatest.db"));
        Assert.Equal("COMPLETED", there.Tests("r1")[("quick", "")].State);
    }

    private string Area(string name, string extra) =>
        ScratchArea.Create(Path.Combine(_tmp.Path, name), extra, ("quick", [("testconfig", "[ezsteps]\nhello echo hello\n")]));

    private static async Task<ProcessResult> Megatest(string area, params string[] args)
    {
        var result = await MegatestProcess.RunAsync(area, s_timeout, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}
