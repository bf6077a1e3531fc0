using System.Diagnostics;

namespace Megatest.Fuzz.Tests;

/// <summary>What one worker is doing now, read by the watchdog: the case it runs and since when.</summary>
public sealed class FuzzWorkerSlot
{
    private long _startedAt;
    private int _index = -1;
    private int _caseSeed;
    private int _flagged;

    /// <summary>Marks the start of a case.</summary>
    public void Begin(int index, int caseSeed)
    {
        Volatile.Write(ref _index, index);
        Volatile.Write(ref _caseSeed, caseSeed);
        Volatile.Write(ref _flagged, 0);
        Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
    }

    /// <summary>Marks the end of the case; returns how long it took.</summary>
    public TimeSpan End()
    {
        var started = Volatile.Read(ref _startedAt);
        Volatile.Write(ref _startedAt, 0);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>True when the watchdog reported the current (or last) case as hung.</summary>
    public bool Flagged => Volatile.Read(ref _flagged) != 0;

    /// <summary>Marks the current case as reported by the watchdog; false when it already was.</summary>
    public bool TryFlag() => Interlocked.Exchange(ref _flagged, 1) == 0;

    /// <summary>The running case and how long it has run, or null when idle.</summary>
    public (int Index, int CaseSeed, TimeSpan Running)? Current()
    {
        var started = Volatile.Read(ref _startedAt);
        if (started == 0)
        {
            return null;
        }

        return (Volatile.Read(ref _index), Volatile.Read(ref _caseSeed), Stopwatch.GetElapsedTime(started));
    }
}
