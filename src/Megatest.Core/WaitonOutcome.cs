namespace Megatest.Core;

/// <summary>Result of checking one waiton for one waiting test/item (SPEC §4.1).</summary>
public enum WaitonOutcome
{
    /// <summary>Not met yet; keep waiting.</summary>
    Pending,

    /// <summary>The waiton is met.</summary>
    Met,

    /// <summary>The waited-on test failed: the waiting test becomes NOT_STARTED/PREQ_FAIL (items: BLOCKED).</summary>
    Failed,

    /// <summary>The waited-on test was not started for a bad reason: NOT_STARTED/PREQ_DISCARDED.</summary>
    Discarded,
}
