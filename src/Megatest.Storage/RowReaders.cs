using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>Maps result rows to DTOs; tolerant of NULLs and of numbers stored by other clients.</summary>
internal static class RowReaders
{
    /// <summary>Column list matching <see cref="Test"/>.</summary>
    public const string TestColumns =
        "id, run_id, testname, item_path, state, status, comment, host, uname, rundir, shortdir, event_time, " +
        "run_duration, final_logf, attemptnum, fail_count, pass_count, cpuload, diskfree, last_update";

    /// <summary>Column list matching <see cref="Step(SqliteDataReader)"/>.</summary>
    public const string StepColumns = "id, test_id, stepname, state, status, event_time, comment, logfile";

    /// <summary>Column list matching <see cref="Data"/>.</summary>
    public const string DataColumns = "id, test_id, category, variable, value, expected, tol, units, comment, status, type";

    public static TestRow Test(SqliteDataReader r) => new(
        Long(r, 0),
        Long(r, 1),
        Text(r, 2),
        Text(r, 3),
        Text(r, 4),
        Text(r, 5),
        Text(r, 6),
        Text(r, 7),
        Text(r, 8),
        Text(r, 9),
        Text(r, 10),
        Long(r, 11),
        Double(r, 12),
        Text(r, 13),
        Long(r, 14),
        Long(r, 15),
        Long(r, 16),
        Double(r, 17),
        Double(r, 18),
        Long(r, 19));

    public static StepRow Step(SqliteDataReader r) => Step(r.GetValue);

    /// <summary>A step from column values as <see cref="SqliteDataReader.GetValue"/> gives them (also read by <see cref="RawListing"/>).</summary>
    public static StepRow Step(Func<int, object> value) => new(
        Long(value(0)), Long(value(1)), Text(value(2)), Text(value(3)), Text(value(4)), Long(value(5)), Text(value(6)), Text(value(7)));

    public static TestDataRow Data(SqliteDataReader r) => new(
        Long(r, 0), Long(r, 1), Text(r, 2), Text(r, 3), Text(r, 4), Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8), Text(r, 9), Text(r, 10));

    public static RunStatRow RunStat(SqliteDataReader r) => new(Text(r, 0), Text(r, 1), Long(r, 2));

    /// <summary>Text of any stored type: NULL → "", integers as-is, reals round-trippable, invariant culture.</summary>
    public static string Text(SqliteDataReader r, int ordinal) => Text(r.GetValue(ordinal));

    /// <summary><see cref="Text(SqliteDataReader, int)"/> of a value as <see cref="SqliteDataReader.GetValue"/> gives it.</summary>
    public static string Text(object value) => value switch
        {
            string s => s,
            DBNull => string.Empty,
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            byte[] b => Convert.ToBase64String(b),
            var o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? string.Empty,
        };

    public static long Long(SqliteDataReader r, int ordinal) => Long(r.GetValue(ordinal));

    /// <summary><see cref="Long(SqliteDataReader, int)"/> of a value as <see cref="SqliteDataReader.GetValue"/> gives it.</summary>
    public static long Long(object value) => value switch
        {
            long l => l,
            double d => (long)d,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => (long)d,
            _ => 0,
        };

    public static double Double(SqliteDataReader r, int ordinal) => r.GetValue(ordinal) switch
        {
            long l => l,
            double d => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => 0,
        };
}
