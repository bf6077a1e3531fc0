using System.Text;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// One statement run through SQLite's C API (<see cref="NativeSqlite"/>) on a connection Microsoft.Data.Sqlite opened,
/// and so inside the transaction open on that connection. For the db writer's bulk statements (issue #9): a parameter
/// is bound as the UTF-8 bytes it was written as, and the result columns are read through <see cref="NativeColumns"/>
/// rather than a boxed value per column. Prepared on first use and kept until <see cref="Dispose"/> (before the
/// connection is closed: <see cref="CommandCache"/> does it); reset and unbound after every run, so that between runs
/// it holds neither a lock nor a copy of a parameter. Errors raise the <see cref="SqliteException"/> that
/// Microsoft.Data.Sqlite raises for them, with SQLite's message. Not thread-safe, like the connection.
/// </summary>
internal sealed unsafe class NativeStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _sql;
    private nint _db;
    private nint _statement;

    public NativeStatement(SqliteConnection connection, string sql)
    {
        _connection = connection;
        _sql = sql;
    }

    /// <summary>Binds an integer, or NULL, to the parameter numbered <paramref name="index"/> (<c>?1</c> is 1).</summary>
    public NativeStatement Bind(int index, long? value) =>
        Check(value is { } v ? NativeSqlite.BindInt64(Prepared(), index, v) : NativeSqlite.BindNull(Prepared(), index));

    /// <summary>Binds a real, or NULL, to the parameter numbered <paramref name="index"/>; SQLite stores a NaN as NULL.</summary>
    public NativeStatement Bind(int index, double? value) =>
        Check(value is { } v ? NativeSqlite.BindDouble(Prepared(), index, v) : NativeSqlite.BindNull(Prepared(), index));

    /// <summary>Binds a text (as UTF-8, NUL characters included), or NULL, to the parameter numbered <paramref name="index"/>.</summary>
    public NativeStatement Bind(int index, string? value)
    {
        var statement = Prepared();
        if (value is null)
        {
            return Check(NativeSqlite.BindNull(statement, index));
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> utf8 = max <= 512 ? stackalloc byte[max] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, utf8);
            return Check(NativeSqlite.BindText(statement, index, utf8[..length]));
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Binds UTF-8 text (copied by SQLite) to the parameter numbered <paramref name="index"/>.</summary>
    public NativeStatement Bind(int index, ReadOnlySpan<byte> utf8) => Check(NativeSqlite.BindText(Prepared(), index, utf8));

    /// <summary>Binds a BLOB to the parameter numbered <paramref name="index"/>.</summary>
    public NativeStatement BindBlob(int index, ReadOnlySpan<byte> value) => Check(NativeSqlite.BindBlob(Prepared(), index, value));

    /// <summary>Runs a statement that returns no rows; the number of rows it inserted, updated or deleted.</summary>
    public int Execute()
    {
        Run(static _ => { });
        return NativeSqlite.Changes(_db);
    }

    /// <summary>
    /// Steps through the statement, handing each result row to <paramref name="row"/>; then resets it and clears its
    /// bindings, also when a step or <paramref name="row"/> throws.
    /// </summary>
    public void Run(Action<NativeColumns> row)
    {
        var statement = Prepared();
        try
        {
            int rc;
            while ((rc = NativeSqlite.Step(statement)) == NativeSqlite.Row)
            {
                row(new NativeColumns(statement));
            }

            if (rc != NativeSqlite.Done)
            {
                SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            }
        }
        finally
        {
            NativeSqlite.Reset(statement);
            NativeSqlite.ClearBindings(statement);
        }
    }

    public void Dispose()
    {
        if (_statement != 0)
        {
            NativeSqlite.Finalize(_statement);
            _statement = 0;
            _db = 0;
        }
    }

    // The statement, prepared on the connection's current handle (again if the connection was reopened).
    private nint Prepared()
    {
        var handle = _connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var db = handle.DangerousGetHandle();
        if (db == _db && _statement != 0)
        {
            return _statement;
        }

        Dispose();
        var sql = Encoding.UTF8.GetBytes(_sql);
        nint statement = 0;
        int rc;
        fixed (byte* text = sql)
        {
            rc = NativeSqlite.PrepareV2(db, text, sql.Length, &statement, null);
        }

        if (rc != NativeSqlite.Ok)
        {
            // On an error SQLite leaves no statement to finalize, and its message in the connection.
            SqliteException.ThrowExceptionForRC(rc, handle);
        }

        (_db, _statement) = (db, statement);
        return statement;
    }

    private NativeStatement Check(int rc)
    {
        if (rc != NativeSqlite.Ok)
        {
            NativeSqlite.ClearBindings(_statement);
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }

        return this;
    }
}
