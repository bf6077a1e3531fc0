using System.Runtime.InteropServices;

namespace Megatest.Storage;

/// <summary>
/// The few functions of SQLite's C API that <see cref="RawListing"/> and <see cref="NativeStatement"/> call, bound to
/// the same e_sqlite3 library that Microsoft.Data.Sqlite loads. Blittable, source-generated bindings need no
/// marshalling stub at run time (the ReadyToRun build precompiles them), unlike SQLitePCLRaw's, whose stubs the JIT
/// builds on first call (issue #9).
/// </summary>
/// <remarks>
/// The column accessors, the binds and sqlite3_changes skip the GC transition: they are called about twenty times per
/// row, only read the current row of a statement or copy one value into it, and never block or call back. On a connection opened without mutexes (RawListing's) they take no
/// lock; on one of Microsoft.Data.Sqlite's they take the connection's mutex, which is never contended, because such a
/// connection is only ever used by one thread at a time.
/// </remarks>
internal static unsafe partial class NativeSqlite
{
    public const int Ok = 0;
    public const int Row = 100;
    public const int Done = 101;
    public const int OpenReadOnly = 0x1;

    /// <summary>SQLITE_OPEN_NOMUTEX: the connection is used by one thread, so SQLite takes no lock per call.</summary>
    public const int OpenNoMutex = 0x8000;
    public const int TypeInteger = 1;
    public const int TypeFloat = 2;
    public const int TypeText = 3;
    public const int TypeBlob = 4;
    public const int TypeNull = 5;

    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_TRANSIENT: SQLite copies a bound value before the call returns.</summary>
    private static readonly nint s_transient = -1;

    [LibraryImport(Library, EntryPoint = "sqlite3_open_v2")]
    public static partial int OpenV2(byte* fileName, nint* db, int flags, byte* vfs);

    [LibraryImport(Library, EntryPoint = "sqlite3_close_v2")]
    public static partial int CloseV2(nint db);

    [LibraryImport(Library, EntryPoint = "sqlite3_busy_timeout")]
    public static partial int BusyTimeout(nint db, int milliseconds);

    [LibraryImport(Library, EntryPoint = "sqlite3_prepare_v2")]
    public static partial int PrepareV2(nint db, byte* sql, int bytes, nint* statement, byte** tail);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(nint statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int Reset(nint statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_finalize")]
    public static partial int Finalize(nint statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_clear_bindings")]
    public static partial int ClearBindings(nint statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_parameter_index")]
    public static partial int BindParameterIndex(nint statement, byte* name);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [SuppressGCTransition]
    private static partial int BindText(nint statement, int index, byte* text, int bytes, nint destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    public static partial int BindInt64(nint statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [SuppressGCTransition]
    public static partial int BindNull(nint statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_double")]
    [SuppressGCTransition]
    public static partial int BindDouble(nint statement, int index, double value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_blob")]
    [SuppressGCTransition]
    private static partial int BindBlob(nint statement, int index, byte* blob, int bytes, nint destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_changes")]
    [SuppressGCTransition]
    public static partial int Changes(nint db);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    public static partial int ColumnType(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static partial long ColumnInt64(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_double")]
    [SuppressGCTransition]
    public static partial double ColumnDouble(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    [SuppressGCTransition]
    private static partial byte* ColumnText(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    [SuppressGCTransition]
    private static partial byte* ColumnBlob(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    private static partial int ColumnBytes(nint statement, int column);

    /// <summary>
    /// The value of a column of the current row, for the <c>sqlite3_value_*</c> accessors below: one call that takes
    /// the connection's mutex per column, where the <c>sqlite3_column_*</c> accessors take it once per call. The value
    /// is "unprotected" (SQLite's term: not to be shared between threads); valid until the next step, reset or finalize.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_column_value")]
    [SuppressGCTransition]
    public static partial nint ColumnValue(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_type")]
    [SuppressGCTransition]
    public static partial int ValueType(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_int64")]
    [SuppressGCTransition]
    public static partial long ValueInt64(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_double")]
    [SuppressGCTransition]
    public static partial double ValueDouble(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_text")]
    [SuppressGCTransition]
    private static partial byte* ValueTextPointer(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_bytes")]
    [SuppressGCTransition]
    private static partial int ValueBytes(nint value);

    /// <summary>A TEXT value's UTF-8 bytes (SQLite converts other types; NULL is empty), valid as long as the value.</summary>
    public static ReadOnlySpan<byte> ValueText(nint value)
    {
        var text = ValueTextPointer(value);
        return text == null ? default : new ReadOnlySpan<byte>(text, ValueBytes(value));
    }

    /// <summary>
    /// A column as UTF-8 text (SQLite converts numbers; NULL is empty), valid until the next step, reset or finalize of
    /// <paramref name="statement"/>. The length is sqlite3_column_bytes, as Microsoft.Data.Sqlite's GetString reads it.
    /// </summary>
    public static ReadOnlySpan<byte> Text(nint statement, int column)
    {
        var text = ColumnText(statement, column);
        return text == null ? default : new ReadOnlySpan<byte>(text, ColumnBytes(statement, column));
    }

    /// <summary>A BLOB column's bytes, valid until the next step, reset or finalize of <paramref name="statement"/>.</summary>
    public static ReadOnlySpan<byte> Blob(nint statement, int column)
    {
        var blob = ColumnBlob(statement, column);
        return blob == null ? default : new ReadOnlySpan<byte>(blob, ColumnBytes(statement, column));
    }

    /// <summary>A column's value as <c>SqliteDataReader.GetValue</c> gives it, for the mappers of <see cref="RowReaders"/>.</summary>
    public static object Value(nint statement, int column) => ColumnType(statement, column) switch
    {
        TypeInteger => ColumnInt64(statement, column),
        TypeFloat => ColumnDouble(statement, column),
        TypeText => System.Text.Encoding.UTF8.GetString(Text(statement, column)),
        TypeBlob => Blob(statement, column).ToArray(),
        _ => DBNull.Value,
    };

    /// <summary>Binds UTF-8 text (copied by SQLite).</summary>
    public static int BindText(nint statement, int index, ReadOnlySpan<byte> utf8)
    {
        fixed (byte* text = utf8)
        {
            // An empty span has no address: bind a zero-length string, not NULL.
            byte empty = 0;
            return BindText(statement, index, text == null ? &empty : text, utf8.Length, s_transient);
        }
    }

    /// <summary>Binds a BLOB (copied by SQLite).</summary>
    public static int BindBlob(nint statement, int index, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* blob = bytes)
        {
            byte empty = 0;
            return BindBlob(statement, index, blob == null ? &empty : blob, bytes.Length, s_transient);
        }
    }
}
