using System.Globalization;
using Megatest.Core;

namespace Megatest.Scheduling;

/// <summary>
/// Reasons a ready test waits before launch, besides slots and limits: [setup] launch-delay (minimum
/// seconds between two launches), [jobtools] maxload (the hosts' load per core must be below it; a host
/// with nothing of ours running always takes one test, so a busy machine slows a run but never stalls it)
/// and mode exclusive (not while the same test or item runs in any run).
/// </summary>
public sealed class LaunchGate
{
    private readonly TimeProvider _time;
    private long _lastLaunch = long.MinValue;

    /// <summary>Creates a gate reading the clock from <paramref name="time"/>.</summary>
    public LaunchGate(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>True when <paramref name="row"/> of <paramref name="test"/> must wait now.</summary>
    /// <param name="plan">The run.</param>
    /// <param name="test">The test.</param>
    /// <param name="row">The row about to be launched.</param>
    /// <param name="lowestLoad">The lowest load per core among hosts with a free slot, and whether that host runs nothing of ours.</param>
    /// <param name="runningAnywhere">Whether the same test and item run now in any run.</param>
    public bool MustWait(RunPlan plan, PlannedTest test, RowState row, Func<(double Load, bool Idle)?> lowestLoad, Func<string, string, bool> runningAnywhere)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(lowestLoad);
        ArgumentNullException.ThrowIfNull(runningAnywhere);
        if (!Holds(plan, test, row, lowestLoad, runningAnywhere))
        {
            return false;
        }

        // A row held here is waiting for time, load or another run, not stalled: the coordinator must not
        // give up on it as a row whose prerequisites can never be met.
        plan.StallTicks = 0;
        return true;
    }

    private bool Holds(RunPlan plan, PlannedTest test, RowState row, Func<(double Load, bool Idle)?> lowestLoad, Func<string, string, bool> runningAnywhere)
    {
        var setup = plan.Area.Megatest;
        if (Number(setup.Get("setup", "launch-delay")) is { } delay && delay > 0
            && _lastLaunch != long.MinValue && _time.GetElapsedTime(_lastLaunch).TotalSeconds < delay)
        {
            return true;
        }

        if (Number(setup.Get("jobtools", "maxload")) is { } maxload && lowestLoad() is { } load && load.Load > maxload && !load.Idle)
        {
            return true;
        }

        // Exclusive looks at this coordinator's runs and at the database, where runs of other processes show.
        return test.Mode.HasFlag(WaitMode.Exclusive)
            && (runningAnywhere(test.Name, row.ItemPath) || plan.History.RunningInDatabase(test.Name, row.ItemPath));
    }

    /// <summary>Records a launch (for launch-delay).</summary>
    public void Launched() => _lastLaunch = _time.GetTimestamp();

    /// <summary>True when launch-delay is set, so only one launch may happen per scheduling pass.</summary>
    public static bool HasDelay(RunPlan plan) => Number(plan?.Area.Megatest.Get("setup", "launch-delay")) is > 0;

    private static double? Number(string? text) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
