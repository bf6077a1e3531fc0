using System.Buffers;
using System.Text.Json;

namespace Megatest.Storage;

/// <summary>
/// Many packets' writes in one statement each: the db writer receives status changes in bursts of hundreds, and one
/// statement per packet costs more in call overhead than in SQLite. The rows go to SQLite as one JSON array
/// (json_each), so a statement is prepared once whatever the burst size and binds a single parameter. The statements go
/// through SQLite's C API (<see cref="NativeStatement"/>): the JSON is bound as the UTF-8 it is written as, and the
/// returned rows are read without Microsoft.Data.Sqlite's cost per column, which was about a quarter of the time of
/// <see cref="UpdateTests"/> per row (issue #9).
/// Every method gives the same result, row for row, as calling its one-row counterpart for each entry in order.
/// </summary>
public sealed partial class WriteBatch
{
    // ON CONFLICT skips an id applied before, and also the second of two equal ids in the same array; RETURNING names
    // the ids inserted now. Each element is [id as hex, test id, sequence] (the last two null for other packets);
    // jsonb_each hands each element over in binary form, so the three lookups in it do not parse its text again.
    private const string MarkAppliedManySql =
        "INSERT INTO applied_packets (message_id, applied_at, test_id, seq) " +
        "SELECT unhex(value ->> 0), @now, value ->> 1, value ->> 2 FROM jsonb_each(@ids) WHERE true " +
        "ON CONFLICT (message_id) DO NOTHING RETURNING message_id";

    /// <summary>
    /// <see cref="MarkApplied"/> for each packet in order: element i is true when <paramref name="packets"/>[i] was not
    /// applied before (neither in an earlier batch nor earlier in this list), so it is applied now.
    /// </summary>
    public bool[] MarkAppliedMany(IReadOnlyList<(Guid MessageId, SenderOrder? Order)> packets, long now)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(packets);
        var fresh = new bool[packets.Count];
        if (packets.Count == 0)
        {
            return fresh;
        }

        var json = JsonArray(packets, static (w, packet) =>
        {
            Span<byte> bytes = stackalloc byte[16];
            Span<byte> hex = stackalloc byte[32];
            packet.MessageId.TryWriteBytes(bytes);
            Convert.TryToHexString(bytes, hex, out _);
            w.WriteStartArray();
            w.WriteStringValue(hex);
            WriteNumber(w, packet.Order?.TestId);
            WriteNumber(w, packet.Order?.Sequence);
            w.WriteEndArray();
        });
        var inserted = new HashSet<Guid>(packets.Count);
        _commands.Native(MarkAppliedManySql).Bind("@now", now).Bind("@ids", json.WrittenSpan).Run(r => inserted.Add(new Guid(r.Blob(0))));
        for (var i = 0; i < fresh.Length; i++)
        {
            // The first occurrence of an id inserted now is the one applied; a repeat later in the list is not.
            fresh[i] = inserted.Remove(packets[i].MessageId);
        }

        return fresh;
    }

    private const string TestPathsSql = "SELECT id, item_path FROM tests WHERE id IN (SELECT value FROM json_each(@ids))";

    // The columns of TestUpdate in UpdateTestSql's order, from each row [id, state, status, …] of the JSON array.
    private const string UpdateTestsSql =
        "UPDATE tests SET state = coalesce(u.n_state, state), status = coalesce(u.n_status, status), " +
        "comment = coalesce(u.n_comment, comment), host = coalesce(u.n_host, host), uname = coalesce(u.n_uname, uname), " +
        "rundir = coalesce(u.n_rundir, rundir), shortdir = coalesce(u.n_shortdir, shortdir), " +
        "event_time = coalesce(u.n_event_time, event_time), run_duration = coalesce(u.n_run_duration, run_duration), " +
        "final_logf = coalesce(u.n_final_logf, final_logf), attemptnum = coalesce(u.n_attemptnum, attemptnum), " +
        "cpuload = coalesce(u.n_cpuload, cpuload), diskfree = coalesce(u.n_diskfree, diskfree), last_update = @now " +
        "FROM (SELECT value ->> 0 AS n_id, value ->> 1 AS n_state, value ->> 2 AS n_status, value ->> 3 AS n_comment, " +
        "value ->> 4 AS n_host, value ->> 5 AS n_uname, value ->> 6 AS n_rundir, value ->> 7 AS n_shortdir, " +
        "value ->> 8 AS n_event_time, value ->> 9 AS n_run_duration, value ->> 10 AS n_final_logf, " +
        "value ->> 11 AS n_attemptnum, value ->> 12 AS n_cpuload, value ->> 13 AS n_diskfree FROM jsonb_each(@rows)) AS u " +
        "WHERE tests.id = u.n_id RETURNING " + RowReaders.TestColumns;

    /// <summary>
    /// <see cref="UpdateTest"/> for each entry in order; element i is what that call returns for entry i. Entries of
    /// plain tests and toplevels go to SQLite in one statement per run of such entries (their updates touch only their
    /// own row); an item (its toplevel is rolled up after it), an <c>AUTO</c> status (test-data rollup), a test id
    /// repeated, or a value JSON cannot carry exactly (a NUL character, a non-finite number) goes through
    /// <see cref="UpdateTest"/> in its place.
    /// </summary>
    /// <exception cref="StorageException">A test does not exist (nothing is returned; the caller rolls back).</exception>
    public IReadOnlyList<IReadOnlyList<TestRow>> UpdateTests(IReadOnlyList<(long TestId, TestUpdate Update)> updates, long now)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(updates);
        var results = new IReadOnlyList<TestRow>[updates.Count];
        var itemPaths = ItemPaths(updates);
        var pending = new List<int>();
        var pendingIds = new HashSet<long>();
        CommandCache? pendingCommands = null;
        for (var i = 0; i < updates.Count; i++)
        {
            var (testId, update) = updates[i];
            ArgumentNullException.ThrowIfNull(update);
            var commands = _tables.ForTest(testId);
            var together = commands is not null && itemPaths.TryGetValue(testId, out var itemPath) && itemPath.Length == 0
                && update.Status != "AUTO" && JsonCarriesExactly(update);
            if (!together || commands != pendingCommands || pendingIds.Contains(testId))
            {
                UpdateTogether(pendingCommands, updates, pending, results, now);
                pending.Clear();
                pendingIds.Clear();
                pendingCommands = null;
            }

            if (together)
            {
                pending.Add(i);
                pendingIds.Add(testId);
                pendingCommands = commands;
            }
            else
            {
                results[i] = UpdateTest(testId, update, now);
            }
        }

        UpdateTogether(pendingCommands, updates, pending, results, now);
        return results;
    }

    // Item path of every test named (one query per place holding tests); a missing test has no entry.
    private Dictionary<long, string> ItemPaths(IReadOnlyList<(long TestId, TestUpdate Update)> updates)
    {
        var paths = new Dictionary<long, string>(updates.Count);
        foreach (var group in updates.GroupBy(u => _tables.ForTest(u.TestId)))
        {
            if (group.Key is null)
            {
                continue;
            }

            var ids = JsonArray(group.Select(u => u.TestId).Distinct().ToList(), static (w, id) => w.WriteNumberValue(id));
            group.Key.Native(TestPathsSql).Bind("@ids", ids.WrittenSpan).Run(r => paths[r.Long(0)] = r.Text(1));
        }

        return paths;
    }

    private void UpdateTogether(CommandCache? commands, IReadOnlyList<(long TestId, TestUpdate Update)> updates, List<int> indexes, IReadOnlyList<TestRow>[] results, long now)
    {
        if (commands is null || indexes.Count == 0)
        {
            return;
        }

        var json = JsonArray(indexes, (w, i) => WriteUpdate(w, updates[i].TestId, updates[i].Update));
        var rows = new Dictionary<long, TestRow>(indexes.Count);
        commands.Native(UpdateTestsSql).Bind("@now", now).Bind("@rows", json.WrittenSpan).Run(r =>
        {
            var row = RowReaders.Test(r);
            rows[row.Id] = row;
        });
        foreach (var i in indexes)
        {
            results[i] = [rows.GetValueOrDefault(updates[i].TestId) ?? throw NoSuchTest(updates[i].TestId)];
        }
    }

    private static void WriteUpdate(Utf8JsonWriter w, long testId, TestUpdate u)
    {
        w.WriteStartArray();
        w.WriteNumberValue(testId);
        WriteText(w, u.State);
        WriteText(w, u.Status);
        WriteText(w, u.Comment);
        WriteText(w, u.Host);
        WriteText(w, u.Uname);
        WriteText(w, u.RunDir);
        WriteText(w, u.ShortDir);
        WriteNumber(w, u.EventTime);
        WriteNumber(w, u.RunDuration);
        WriteText(w, u.FinalLogf);
        WriteNumber(w, u.AttemptNum);
        WriteNumber(w, u.CpuLoad);
        WriteNumber(w, u.DiskFree);
        w.WriteEndArray();
    }

    private static void WriteText(Utf8JsonWriter w, string? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumberValue(v);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    // A whole double (5.0) is written as 5 and read back by SQLite as an integer; the REAL columns store it as 5.0.
    private static void WriteNumber(Utf8JsonWriter w, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumberValue(v);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    // Bound one by one, a NUL inside a text is stored and a NaN becomes NULL; through JSON neither would be the same.
    private static bool JsonCarriesExactly(TestUpdate u) =>
        NoNul(u.State) && NoNul(u.Status) && NoNul(u.Comment) && NoNul(u.Host) && NoNul(u.Uname) && NoNul(u.RunDir)
        && NoNul(u.ShortDir) && NoNul(u.FinalLogf) && Finite(u.RunDuration) && Finite(u.CpuLoad) && Finite(u.DiskFree);

    private static bool NoNul(string? s) => s is null || !s.Contains('\0', StringComparison.Ordinal);

    private static bool Finite(double? d) => d is not { } v || double.IsFinite(v);

    private static ArrayBufferWriter<byte> JsonArray<T>(IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(items.Count * 64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var item in items)
            {
                write(w, item);
            }

            w.WriteEndArray();
        }

        return buffer;
    }
}
