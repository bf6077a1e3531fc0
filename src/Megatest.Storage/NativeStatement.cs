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

    /// <summary>Binds an integer to the parameter <paramref name="name"/> (e.g. <c>@now</c>) for the next <see cref="Run"/>.</summary>
    public NativeStatement Bind(string name, long value)
    {
        var statement = Prepared();
        return Check(NativeSqlite.BindInt64(statement, Index(statement, name), value));
    }

    /// <summary>Binds UTF-8 text (copied by SQLite) to the parameter <paramref name="name"/> for the next <see cref="Run"/>.</summary>
    public NativeStatement Bind(string name, ReadOnlySpan<byte> utf8)
    {
        var statement = Prepared();
        return Check(NativeSqlite.BindText(statement, Index(statement, name), utf8));
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

    private static int Index(nint statement, string name)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length) + 1];
        utf8[Encoding.UTF8.GetBytes(name, utf8)] = 0;
        fixed (byte* text = utf8)
        {
            var index = NativeSqlite.BindParameterIndex(statement, text);
            return index > 0 ? index : throw new InvalidOperationException($"The statement has no parameter {name}.");
        }
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
