using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>Maps result rows to DTOs; tolerant of NULLs and of numbers stored by other clients.</summary>
internal static class RowReaders
{
    /// <summary>Column list matching <see cref="Test(SqliteDataReader)"/>.</summary>
    public const string TestColumns =
        "id, run_id, testname, item_path, state, status, comment, host, uname, rundir, shortdir, event_time, " +
        "run_duration, final_logf, attemptnum, fail_count, pass_count, cpuload, diskfree, last_update";

    /// <summary>Column list matching <see cref="Step(SqliteDataReader)"/>.</summary>
    public const string StepColumns = "id, test_id, stepname, state, status, event_time, comment, logfile";

    /// <summary>Column list matching <see cref="Data"/>.</summary>
    public const string DataColumns = "id, test_id, category, variable, value, expected, tol, units, comment, status, type";

    public static TestRow Test(SqliteDataReader r) => Test(new ReaderColumns(r));

    /// <summary>A test from <see cref="TestColumns"/> read through SQLite's C API; equal to what <see cref="Test(SqliteDataReader)"/> reads.</summary>
    public static TestRow Test(NativeColumns r) => Test<NativeColumns>(r);

    private static TestRow Test<TColumns>(TColumns r)
        where TColumns : IColumnValues => new(
        r.Long(0),
        r.Long(1),
        r.Text(2),
        r.Text(3),
        r.Text(4),
        r.Text(5),
        r.Text(6),
        r.Text(7),
        r.Text(8),
        r.Text(9),
        r.Text(10),
        r.Long(11),
        r.Double(12),
        r.Text(13),
        r.Long(14),
        r.Long(15),
        r.Long(16),
        r.Double(17),
        r.Double(18),
        r.Long(19));

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

    public static double Double(SqliteDataReader r, int ordinal) => Double(r.GetValue(ordinal));

    /// <summary><see cref="Double(SqliteDataReader, int)"/> of a value as <see cref="SqliteDataReader.GetValue"/> gives it.</summary>
    public static double Double(object value) => value switch
        {
            long l => l,
            double d => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => 0,
        };

    // The columns of a data reader's current row, for the readers shared with NativeColumns.
    private readonly struct ReaderColumns(SqliteDataReader r) : IColumnValues
    {
        public long Long(int column) => RowReaders.Long(r, column);

        public double Double(int column) => RowReaders.Double(r, column);

        public string Text(int column) => RowReaders.Text(r, column);
    }
}
