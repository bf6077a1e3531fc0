using System.Buffers;
using System.Text.Json;

namespace Megatest.Storage;

/// <summary>
/// The writes of a burst of status changes, which the db writer receives by the hundred. Each goes through SQLite's C
/// API (<see cref="NativeStatement"/>), a statement prepared once and bound per row, which costs less than
/// Microsoft.Data.Sqlite per statement and less than handing the burst over as JSON. The rows the change feed
/// publishes are read once per burst, before the updates, and the updated rows are computed from them
/// (<see cref="Updated"/>) rather than read back with RETURNING, which cost SQLite more than the UPDATE itself
/// (issue #9). Every method gives the same result, row for row, as calling its one-row counterpart for each entry in order.
/// </summary>
public sealed partial class WriteBatch
{
    /// <summary>
    /// <see cref="MarkApplied"/> for each packet in order: element i is true when <paramref name="packets"/>[i] was not
    /// applied before (neither in an earlier batch nor earlier in this list), so it is applied now.
    /// </summary>
    public bool[] MarkAppliedMany(IReadOnlyList<(Guid MessageId, SenderOrder? Order)> packets, long now)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(packets);
        var fresh = new bool[packets.Count];
        var statement = _commands.Native(MarkAppliedSql);
        for (var i = 0; i < packets.Count; i++)
        {
            fresh[i] = MarkOne(statement, packets[i].MessageId, now, packets[i].Order);
        }

        return fresh;
    }

    private const string TestRowsSql = "SELECT " + RowReaders.TestColumns + " FROM tests WHERE id IN (SELECT value FROM json_each(?1))";

    /// <summary>
    /// <see cref="UpdateTest"/> for each entry in order; element i is what that call returns for entry i. The rows of
    /// all the tests named are read first, in one query per place holding tests, rather than one by one; they are kept
    /// up to date with every row an entry changes (an item's toplevel too), so a later entry starts from the row as it is.
    /// </summary>
    /// <exception cref="StorageException">A test does not exist (nothing is returned; the caller rolls back).</exception>
    public IReadOnlyList<IReadOnlyList<TestRow>> UpdateTests(IReadOnlyList<(long TestId, TestUpdate Update)> updates, long now)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(updates);
        var results = new IReadOnlyList<TestRow>[updates.Count];
        var current = CurrentRows(updates);
        for (var i = 0; i < updates.Count; i++)
        {
            var (testId, update) = updates[i];
            ArgumentNullException.ThrowIfNull(update);
            var commands = _tables.ForTest(testId);
            if (commands is null || !current.TryGetValue(testId, out var before))
            {
                throw NoSuchTest(testId);
            }

            var changed = ApplyUpdate(commands, before, update, now);
            foreach (var row in changed)
            {
                current[row.Id] = row;
            }

            results[i] = changed;
        }

        return results;
    }

    // The row of every test named (one query per place holding tests); a missing test has no entry.
    private Dictionary<long, TestRow> CurrentRows(IReadOnlyList<(long TestId, TestUpdate Update)> updates)
    {
        var rows = new Dictionary<long, TestRow>(updates.Count);
        foreach (var group in updates.GroupBy(u => _tables.ForTest(u.TestId)))
        {
            if (group.Key is null)
            {
                continue;
            }

            var ids = new ArrayBufferWriter<byte>(updates.Count * 8);
            using (var w = new Utf8JsonWriter(ids))
            {
                w.WriteStartArray();
                foreach (var (testId, _) in group)
                {
                    w.WriteNumberValue(testId);
                }

                w.WriteEndArray();
            }

            group.Key.Native(TestRowsSql).Bind(1, ids.WrittenSpan).Run(r =>
            {
                var row = RowReaders.Test(r);
                rows[row.Id] = row;
            });
        }

        return rows;
    }
}
