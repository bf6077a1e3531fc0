namespace Megatest.Storage;

/// <summary>
/// The current row of a query, read column by column as <see cref="RowReaders"/> reads any row: tolerant of NULLs and
/// of numbers stored by other clients. Implemented over a <c>SqliteDataReader</c> and over a statement stepped through
/// SQLite's C API (<see cref="NativeColumns"/>), so both give the same values.
/// </summary>
internal interface IColumnValues
{
    /// <summary>As <see cref="RowReaders.Long(object)"/>.</summary>
    long Long(int column);

    /// <summary>As <see cref="RowReaders.Double(object)"/>.</summary>
    double Double(int column);

    /// <summary>As <see cref="RowReaders.Text(object)"/>.</summary>
    string Text(int column);
}
