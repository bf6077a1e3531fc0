using System.Diagnostics;

namespace Megatest.Scheduling;

/// <summary>
/// Keeps the rollup pages of itemized tests (<see cref="RollupPage"/>) current without writing one after every item
/// change: a changed test's page is written on the next <see cref="Flush"/> that is due, at most every half second and
/// less often for pages that take long to write (a test of 100,000 items), and always when its run ends.
/// </summary>
public sealed class RollupPages
{
    private static readonly TimeSpan s_every = TimeSpan.FromMilliseconds(500);
    private readonly Dictionary<(RunPlan Plan, string Test), long> _pending = [];
    private readonly Dictionary<(RunPlan Plan, string Test), long> _notBefore = [];

    /// <summary>Notes that an item of <paramref name="testName"/> changed.</summary>
    public void Changed(RunPlan plan, string testName) => _pending.TryAdd((plan, testName), Stopwatch.GetTimestamp());

    /// <summary>Writes the pages that are due; with <paramref name="plan"/>, every pending page of that run.</summary>
    public void Flush(RunPlan? plan = null)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var key in _pending.Keys.ToList())
        {
            if (key.Plan != plan && (plan is not null || _notBefore.GetValueOrDefault(key) > now))
            {
                continue;
            }

            _pending.Remove(key);
            var started = Stopwatch.GetTimestamp();
            var dir = Path.Combine(key.Plan.Area.RunPath(key.Plan.Request.Target, key.Plan.Request.RunName), key.Test);
            RollupPage.Write(key.Plan.Area, dir, key.Test, key.Plan.ItemRows(key.Test));
            var took = Stopwatch.GetElapsedTime(started);
            var wait = took * 20 > s_every ? took * 20 : s_every;
            _notBefore[key] = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        }

        if (plan is not null)
        {
            foreach (var key in _notBefore.Keys.Where(k => k.Plan == plan).ToList())
            {
                _notBefore.Remove(key);
            }
        }
    }
}
