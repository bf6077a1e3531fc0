using Megatest.Protocol;

namespace Megatest.Bench.Ingest;

/// <summary>The status change every contender writes for a test id: what an agent sends when a test ends.</summary>
public static class Rows
{
    /// <summary>Final state written.</summary>
    public const string State = "COMPLETED";

    /// <summary>Final status written.</summary>
    public const string Status = "PASS";

    /// <summary>Run duration written (seconds).</summary>
    public static double Duration(long testId) => testId % 97;

    /// <summary>Comment written.</summary>
    public static string Comment(long testId) => "bench " + testId;

    /// <summary>The packet for <paramref name="testId"/>.</summary>
    public static StatusChange Change(long testId) => new()
    {
        TestId = testId,
        State = State,
        Status = Status,
        Comment = Comment(testId),
        RunDuration = Duration(testId),
    };
}
