namespace Megatest.Storage;

/// <summary>One row of the <c>runs</c> table: a (target, runname) pair with its state and status.</summary>
/// <param name="Id">The run id.</param>
/// <param name="KeyValues">One value per area key, in key order.</param>
/// <param name="Target">The key values joined with <c>/</c>.</param>
/// <param name="RunName">The run name.</param>
/// <param name="State">Run state (<c>new</c>, <c>locked</c>, <c>unlocked</c>, <c>deleted</c>, …).</param>
/// <param name="Status">Run status (<c>n/a</c> unless set).</param>
/// <param name="Owner">The user who registered the run.</param>
/// <param name="EventTime">Creation time, epoch seconds.</param>
/// <param name="Comment">Free text comment.</param>
/// <param name="LastUpdate">Last modification, epoch seconds.</param>
public sealed record RunRow(
    long Id,
    IReadOnlyList<string> KeyValues,
    string Target,
    string RunName,
    string State,
    string Status,
    string Owner,
    long EventTime,
    string Comment,
    long LastUpdate);
