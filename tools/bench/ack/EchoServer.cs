using Megatest.Bench.Common;
using Microsoft.Data.Sqlite;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Bench.Ack;

/// <summary>
/// The baseline server: a ROUTER on its own poller thread (as the roles have) that sends every message straight back;
/// optionally after one synchronous (FULL) single-row SQLite commit, the floor of a durable ack.
/// </summary>
public sealed class EchoServer : IDisposable
{
    private readonly RouterSocket _router = new();
    private readonly NetMQPoller _poller;
    private readonly Thread _thread;
    private readonly SqliteConnection? _db;
    private readonly SqliteCommand? _upsert;
    private long _n;

    /// <summary>Binds on a free loopback port; with <paramref name="dbPath"/> each message is committed first.</summary>
    public EchoServer(string? dbPath)
    {
        _router.Options.Linger = TimeSpan.Zero;
        Endpoint = "tcp://127.0.0.1:" + _router.BindRandomPort("tcp://127.0.0.1");
        if (dbPath is not null)
        {
            _db = BenchDb.Open(dbPath);
            BenchDb.Exec(_db, "PRAGMA journal_mode = WAL");
            BenchDb.Exec(_db, "PRAGMA synchronous = FULL");
            BenchDb.Exec(_db, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, state TEXT, n INTEGER)");
            _upsert = _db.CreateCommand();
            _upsert.CommandText = "INSERT INTO t (id, state, n) VALUES (1, 'RUNNING', @n) ON CONFLICT (id) DO UPDATE SET n = excluded.n";
            _upsert.Parameters.Add("@n", SqliteType.Integer);
        }

        _router.ReceiveReady += (_, _) =>
        {
            NetMQMessage? msg = null;
            while (_router.TryReceiveMultipartMessage(TimeSpan.Zero, ref msg))
            {
                if (_upsert is not null)
                {
                    using var tx = _db!.BeginTransaction();
                    _upsert.Transaction = tx;
                    _upsert.Parameters[0].Value = ++_n;
                    _upsert.ExecuteNonQuery();
                    tx.Commit();
                }

                _router.SendMultipartMessage(msg);
                msg = null;
            }
        };
        _poller = [_router];
        _thread = new Thread(() => _poller.Run()) { IsBackground = true, Name = "echo" };
        _thread.Start();
    }

    /// <summary>The bound endpoint.</summary>
    public string Endpoint { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        _poller.Stop();
        _thread.Join();
        _poller.Dispose();
        _router.Dispose();
        _upsert?.Dispose();
        _db?.Dispose();
    }
}
