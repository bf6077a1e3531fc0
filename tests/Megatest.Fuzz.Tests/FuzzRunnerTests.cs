namespace Megatest.Fuzz.Tests;

/// <summary>The fuzz harness itself: it must notice crashes, hangs and unclear answers, and name the case to replay.</summary>
public sealed class FuzzRunnerTests
{
    [Fact]
    public void Run_ReportsTheHangWithItsSeed_WhenACaseNeverReturns()
    {
        using var release = new ManualResetEventSlim(false);
        var report = FuzzRunner.Run(
            new FuzzPlan("self-test hang", 1, 50, TimeSpan.FromMilliseconds(200)) { Workers = 2 },
            seed => seed,
            seed =>
            {
                if (seed == FuzzSeed.For(1, 7))
                {
                    release.Wait(); // blocks until the test lets it go: a hang as the watchdog sees it
                }

                return FuzzOutcome.Accepted;
            },
            seed => $"seed {seed}");
        release.Set();

        Assert.Equal(1, report.Hangs);
        var hang = Assert.Single(report.Failures);
        Assert.Equal(7, hang.Index);
        Assert.Equal(FuzzSeed.For(1, 7), hang.CaseSeed);
        Assert.Contains($"seed {FuzzSeed.For(1, 7)}", hang.Input, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CountsCrashesUnclearErrorsAndKnownBugs_WhenChecksThrow()
    {
        var report = FuzzRunner.Run(
            new FuzzPlan("self-test crash", 2, 100, TimeSpan.FromSeconds(5)),
            seed => seed,
            seed => (seed % 4) switch
            {
                0 => throw new InvalidOperationException("boom"),
                1 => throw new FuzzContractException("no field"),
                2 => throw new FuzzKnownBugException("bug X", new InvalidOperationException()),
                _ => FuzzOutcome.Rejected,
            },
            seed => seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(100, report.Tried);
        Assert.Equal(report.Tried, report.Crashes + report.ContractViolations + report.Excluded + report.Rejected);
        Assert.True(report.Crashes > 0 && report.ContractViolations > 0 && report.Excluded > 0 && report.Rejected > 0, report.ToString());
        Assert.Equal(report.Excluded, report.Exclusions["bug X"]);
        Assert.False(report.Clean);
        Assert.Contains("boom", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void For_GivesStableDistinctSeeds_WhenIndexesDiffer()
    {
        var seeds = Enumerable.Range(0, 10_000).Select(i => FuzzSeed.For(70_001, i)).ToHashSet();

        Assert.True(seeds.Count > 9_990);
        Assert.Equal(FuzzSeed.For(70_001, 123), FuzzSeed.For(70_001, 123));
        Assert.All(seeds, s => Assert.True(s >= 0));
    }
}
