namespace Megatest.Storage;

/// <summary>
/// A <see cref="TestListing"/> row as <see cref="RawListing"/> reads it: the text columns are UTF-8 straight from
/// SQLite's buffers (NULL is empty), valid only during the <see cref="TestListingHandler"/> call that receives it.
/// </summary>
public readonly ref struct TestListingText
{
    /// <summary>tests.id.</summary>
    public long Id { get; init; }

    /// <summary>tests.testname.</summary>
    public ReadOnlySpan<byte> TestName { get; init; }

    /// <summary>tests.item_path.</summary>
    public ReadOnlySpan<byte> ItemPath { get; init; }

    /// <summary>tests.state.</summary>
    public ReadOnlySpan<byte> State { get; init; }

    /// <summary>tests.status.</summary>
    public ReadOnlySpan<byte> Status { get; init; }

    /// <summary>tests.comment.</summary>
    public ReadOnlySpan<byte> Comment { get; init; }

    /// <summary>tests.run_duration in seconds (0 when NULL).</summary>
    public double RunDuration { get; init; }

    /// <summary>tests.event_time, epoch seconds (0 when NULL).</summary>
    public long EventTime { get; init; }

    /// <summary>tests.host.</summary>
    public ReadOnlySpan<byte> Host { get; init; }

    /// <summary>tests.rundir.</summary>
    public ReadOnlySpan<byte> RunDir { get; init; }
}
