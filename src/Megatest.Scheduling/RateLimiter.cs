namespace Megatest.Scheduling;

/// <summary>
/// A token bucket per client: each control packet takes a token; tokens come back at a steady rate up to a
/// burst. A client over its rate gets a refusal instead of work, so one runaway script cannot flood the coordinator.
/// </summary>
public sealed class RateLimiter
{
    private readonly Dictionary<string, (double Tokens, long Stamp)> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates a limiter of <paramref name="perSecond"/> packets a second with bursts of <paramref name="burst"/>.</summary>
    public RateLimiter(double perSecond, int burst, TimeProvider? time = null)
    {
        PerSecond = perSecond;
        Burst = burst;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Sustained rate allowed per client.</summary>
    public double PerSecond { get; }

    /// <summary>Packets a client may send at once.</summary>
    public int Burst { get; }

    /// <summary>Takes a token for <paramref name="client"/>; false when it has none left.</summary>
    public bool TryTake(string client)
    {
        var now = _time.GetTimestamp();
        var (tokens, stamp) = _buckets.TryGetValue(client, out var b) ? b : (Burst, now);
        tokens = Math.Min(Burst, tokens + (_time.GetElapsedTime(stamp, now).TotalSeconds * PerSecond));
        if (tokens < 1)
        {
            _buckets[client] = (tokens, now);
            return false;
        }

        _buckets[client] = (tokens - 1, now);
        if (_buckets.Count > 10_000)
        {
            _buckets.Clear(); // forget idle clients rather than grow without bound
        }

        return true;
    }
}
