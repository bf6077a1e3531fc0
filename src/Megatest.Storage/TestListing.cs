namespace Megatest.Storage;

/// <summary>The columns of a test that a listing shows (<c>-list-runs</c>): a narrow read of a big run.</summary>
public sealed record TestListing(
    long Id,
    string TestName,
    string ItemPath,
    string State,
    string Status,
    string Comment,
    double RunDuration,
    long EventTime,
    string Host,
    string RunDir);
