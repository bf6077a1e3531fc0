namespace Megatest.Scheduling.Tests;

public sealed class RateLimiterTests
{
    private sealed class ManualTime : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => Now;
    }

    [Fact]
    public void TryTake_AllowsABurstThenTheSteadyRate_PerClient()
    {
        var time = new ManualTime();
        var limiter = new RateLimiter(perSecond: 2, burst: 3, time);
        Assert.True(limiter.TryTake("a") && limiter.TryTake("a") && limiter.TryTake("a"));
        Assert.False(limiter.TryTake("a"));
        Assert.True(limiter.TryTake("b"), "another client has its own bucket");

        time.Now += 500; // half a second: one token back
        Assert.True(limiter.TryTake("a"));
        Assert.False(limiter.TryTake("a"));

        time.Now += 10_000; // never more than the burst
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => limiter.TryTake("a")));
    }
}
