using System.Text;

namespace Megatest.Storage;

/// <summary>
/// The current row of a statement stepped through <see cref="NativeSqlite"/>, read without a boxed value per column:
/// each column's value is fetched once (<see cref="NativeSqlite.ColumnValue"/>); one of the type asked for (INTEGER for
/// <see cref="Long"/>, REAL for <see cref="Double"/>, TEXT or NULL for <see cref="Text"/>) is read directly, any other
/// goes through <see cref="NativeSqlite.Value"/> and the conversion of <see cref="RowReaders"/>, so the values equal
/// those read through Microsoft.Data.Sqlite. Valid until the statement is stepped, reset or finalized.
/// </summary>
internal readonly struct NativeColumns(nint statement) : IColumnValues
{
    /// <inheritdoc />
    public long Long(int column)
    {
        var value = NativeSqlite.ColumnValue(statement, column);
        return NativeSqlite.ValueType(value) == NativeSqlite.TypeInteger
            ? NativeSqlite.ValueInt64(value)
            : RowReaders.Long(NativeSqlite.Value(statement, column));
    }

    /// <inheritdoc />
    public double Double(int column)
    {
        var value = NativeSqlite.ColumnValue(statement, column);
        return NativeSqlite.ValueType(value) == NativeSqlite.TypeFloat
            ? NativeSqlite.ValueDouble(value)
            : RowReaders.Double(NativeSqlite.Value(statement, column));
    }

    /// <inheritdoc />
    public string Text(int column)
    {
        var value = NativeSqlite.ColumnValue(statement, column);
        return NativeSqlite.ValueType(value) switch
        {
            NativeSqlite.TypeText => Encoding.UTF8.GetString(NativeSqlite.ValueText(value)),
            NativeSqlite.TypeNull => string.Empty,
            _ => RowReaders.Text(NativeSqlite.Value(statement, column)),
        };
    }

    /// <summary>A column as UTF-8 text (SQLite converts a number; NULL is empty), valid until the next column read of it or the row's end.</summary>
    public ReadOnlySpan<byte> Utf8(int column) => NativeSqlite.Text(statement, column);

    /// <summary>A BLOB column's bytes (empty for NULL), valid as long as this row.</summary>
    public ReadOnlySpan<byte> Blob(int column) => NativeSqlite.Blob(statement, column);
}
