namespace Megatest.Storage;

/// <summary>A run a coordinator carries out (<c>coordinator_runs</c>): what a restarted coordinator needs to continue it.</summary>
/// <param name="RequestId">Message id (32 hex digits) of the RunRequest.</param>
/// <param name="RunId">The run.</param>
/// <param name="Target">Key values joined by '/'.</param>
/// <param name="RunName">Run name.</param>
/// <param name="TestPatt">Test pattern as given.</param>
/// <param name="Owner">User.</param>
/// <param name="Requester">Base64 ROUTER identity of the client told when the run ends, "" when none.</param>
/// <param name="Request">The RunRequest body (MessagePack, base64).</param>
/// <param name="State"><c>starting</c>, <c>running</c> or <c>ended</c>.</param>
/// <param name="CreationTime">When the request was first recorded (epoch seconds).</param>
public sealed record CoordinatorRun(string RequestId, long RunId, string Target, string RunName, string TestPatt, string Owner, string Requester, string Request, string State, long CreationTime)
{
    /// <summary>Planned; its rows may not be registered yet.</summary>
    public const string Starting = "starting";

    /// <summary>Rows registered; tests launch.</summary>
    public const string Running = "running";

    /// <summary>Nothing more happens in it.</summary>
    public const string Ended = "ended";

    /// <summary>Column list matching <see cref="Read"/>.</summary>
    internal const string Columns = "request_id, run_id, target, runname, testpatt, owner, requester, request, state, creation_time";

    internal static CoordinatorRun Read(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        RowReaders.Text(r, 0), RowReaders.Long(r, 1), RowReaders.Text(r, 2), RowReaders.Text(r, 3), RowReaders.Text(r, 4),
        RowReaders.Text(r, 5), RowReaders.Text(r, 6), RowReaders.Text(r, 7), RowReaders.Text(r, 8), RowReaders.Long(r, 9));
}
