using Microsoft.Data.Sqlite;

namespace Megatest.Storage.Tests;

public sealed class SqliteMigratorTests : IDisposable
{
    private readonly TestDb _db = new();

    public void Dispose() => _db.Dispose();

    private List<string> Columns(string table)
    {
        using var connection = _db.Raw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info(@table) ORDER BY cid";
        command.Parameters.AddWithValue("@table", table);
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    [Theory]
    [InlineData("keys", "id,fieldname,fieldtype")]
    [InlineData("runs", "id,runname,contour,state,status,owner,event_time,comment,fail_count,pass_count,last_update,SYSTEM,RELEASE")]
    [InlineData("run_stats", "id,run_id,state,status,count,last_update")]
    [InlineData("tests", "id,run_id,testname,host,cpuload,diskfree,uname,rundir,shortdir,item_path,state,status,attemptnum,final_logf,logdat,run_duration,comment,event_time,fail_count,pass_count,archived,last_update")]
    [InlineData("test_steps", "id,test_id,stepname,state,status,event_time,comment,logfile,last_update")]
    [InlineData("test_data", "id,test_id,category,variable,value,expected,tol,units,comment,status,type,last_update")]
    [InlineData("test_rundat", "id,test_id,update_time,cpuload,diskfree,diskusage,run_duration")]
    [InlineData("test_meta", "id,testname,author,owner,description,reviewed,iterated,avg_runtime,avg_disk,tags,jobgroup")]
    [InlineData("tasks_queue", "id,action,owner,state,target,name,testpatt,keylock,params,creation_time,execution_time")]
    [InlineData("extradat", "id,run_id,key,val")]
    [InlineData("metadat", "id,var,val")]
    [InlineData("access_log", "id,user,accessed,args")]
    public void Open_CreatesMegatestTables_WithMegatestColumnNames(string table, string expected)
    {
        _db.Open();

        Assert.Equal(expected.Split(','), Columns(table));
    }

    [Fact]
    public void Open_CreatesArchiveTables()
    {
        _db.Open();

        foreach (var table in new[] { "archive_disks", "archive_blocks", "archive_allocations", "archives", "log" })
        {
            Assert.NotEmpty(Columns(table));
        }
    }

    [Fact]
    public void Open_RecordsLatestSchemaVersionAndKeys()
    {
        _db.Open();

        Assert.Equal((long)SqliteMigrator.LatestVersion, _db.Scalar("PRAGMA user_version"));
        Assert.True(SqliteMigrator.LatestVersion >= 1);
        Assert.Equal("SYSTEM", _db.Scalar("SELECT fieldname FROM keys ORDER BY id LIMIT 1"));
        Assert.Equal("RELEASE", _db.Scalar("SELECT fieldname FROM keys ORDER BY id LIMIT 1 OFFSET 1"));
    }

    [Fact]
    public void Migrate_OnEmptyFile_AppliesAllSteps_AndIsIdempotent()
    {
        using var connection = _db.Raw();

        SqliteMigrator.Migrate(connection, _db.Path);
        SqliteMigrator.Migrate(connection, _db.Path);

        Assert.Equal(SqliteMigrator.LatestVersion, SqliteMigrator.CurrentVersion(connection));
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM keys"));
    }

    [Fact]
    public void Open_MigratesASchema3DatabaseInPlace_KeepingItsAppliedPackets_WithoutASenderOrder()
    {
        // A database as the schema-3 build left it: steps 1 to 3 (released steps are never edited) and packets applied.
        var applied = Guid.NewGuid();
        using (var connection = _db.Raw())
        {
            foreach (var step in new[] { "0001_initial.sql", "0002_applied_packets.sql", "0003_coordinator_runs.sql" })
            {
                using var command = connection.CreateCommand();
                command.CommandText = File.ReadAllText(System.IO.Path.Combine(Megatest.Testing.TestPaths.RepoRoot, "schemas", "sqlite", step));
                command.ExecuteNonQuery();
            }
        }

        _db.Scalar("PRAGMA user_version = 3");
        _db.Scalar("INSERT INTO applied_packets (message_id, applied_at) VALUES (@id, @now)", ("@id", applied.ToByteArray()), ("@now", WriteBatchExtensions.Now));
        _db.Scalar("INSERT INTO metadat (var, val) VALUES ('dbwriter-epoch', '5')");

        using var db = _db.Open();

        Assert.Equal((long)SqliteMigrator.LatestVersion, _db.Scalar("PRAGMA user_version"));
        Assert.Equal(["message_id", "applied_at", "test_id", "seq"], Columns("applied_packets"));
        Assert.Equal("5", _db.Scalar("SELECT val FROM metadat WHERE var = 'dbwriter-epoch'"));
        using var batch = db.BeginBatch();
        // The packet applied before the step is still applied once; it has no sender order, a packet applied now has.
        Assert.False(batch.MarkApplied(applied, WriteBatchExtensions.Now, new SenderOrder(1, 2)));
        Assert.Empty(batch.AppliedOrders(0));
        var fresh = Guid.NewGuid();
        Assert.True(batch.MarkApplied(fresh, WriteBatchExtensions.Now, new SenderOrder(1, 2)));
        Assert.Equal((fresh, new SenderOrder(1, 2), WriteBatchExtensions.Now), Assert.Single(batch.AppliedOrders(0)));
    }

    [Fact]
    public void Open_UsesWalJournal()
    {
        _db.Open();

        Assert.Equal("wal", _db.Scalar("PRAGMA journal_mode"));
    }

    [Fact]
    public void Open_Twice_WithSameKeys_Succeeds()
    {
        _db.Open().Dispose();

        using var again = MegatestDatabase.Open(_db.Path, TestDb.TwoKeys);
        using var batch = again.BeginBatch();
        Assert.Equal(TestDb.TwoKeys, batch.Reader.Keys());
    }

    [Fact]
    public void Open_Refuses_WhenDatabaseIsNewer()
    {
        _db.Open().Dispose();
        var newer = SqliteMigrator.LatestVersion + 1;
        _db.Scalar("PRAGMA user_version = " + newer);

        var ex = Assert.Throws<StorageException>(() => MegatestDatabase.Open(_db.Path, TestDb.TwoKeys));

        Assert.Contains($"schema version {newer}", ex.Message);
        Assert.Contains($"up to {SqliteMigrator.LatestVersion}", ex.Message);
    }

    [Fact]
    public void Open_Refuses_WhenTablesExistWithoutVersion()
    {
        _db.Scalar("CREATE TABLE runs (id INTEGER PRIMARY KEY)");

        var ex = Assert.Throws<StorageException>(() => MegatestDatabase.Open(_db.Path, TestDb.TwoKeys));

        Assert.Contains("user_version = 0", ex.Message);
    }

    [Fact]
    public void Open_Refuses_WhenKeysDiffer_NamingBothLists()
    {
        _db.Open().Dispose();

        var ex = Assert.Throws<StorageException>(() => MegatestDatabase.Open(_db.Path, ["SYSTEM", "BRANCH"]));

        Assert.Contains("[SYSTEM, RELEASE]", ex.Message);
        Assert.Contains("[SYSTEM, BRANCH]", ex.Message);
    }

    [Fact]
    public void Open_Refuses_WhenKeyOrderDiffers()
    {
        _db.Open().Dispose();

        Assert.Throws<StorageException>(() => MegatestDatabase.Open(_db.Path, ["RELEASE", "SYSTEM"]));
    }

    [Theory]
    [InlineData("runname")]
    [InlineData("STATUS")]
    [InlineData("bad name")]
    [InlineData("x\"y")]
    public void Open_RejectsInvalidKeyNames(string key)
    {
        var ex = Assert.Throws<StorageException>(() => MegatestDatabase.Open(_db.Path, [key]));

        Assert.Contains(key, ex.Message);
        Assert.False(File.Exists(_db.Path));
    }

    [Fact]
    public void RunsTable_IsUniqueOnKeysAndRunName()
    {
        _db.Open().Dispose();
        _db.Scalar("INSERT INTO runs (SYSTEM, RELEASE, runname) VALUES ('a', 'b', 'r')");

        Assert.Throws<SqliteException>(() => _db.Scalar("INSERT INTO runs (SYSTEM, RELEASE, runname) VALUES ('a', 'b', 'r')"));
        _db.Scalar("INSERT INTO runs (SYSTEM, RELEASE, runname) VALUES ('a', 'c', 'r')");
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM runs"));
    }

    [Fact]
    public void LastUpdateTrigger_StampsRowsUpdatedByOtherClients()
    {
        using (var db = _db.Open())
        using (var batch = db.BeginBatch())
        {
            batch.Run();
            batch.Commit();
        }

        _db.Scalar("UPDATE runs SET comment = 'by sqlite3'");

        var lastUpdate = (long)_db.Scalar("SELECT last_update FROM runs")!;
        Assert.True(lastUpdate > WriteBatchExtensions.Now, $"trigger should stamp the wall clock, got {lastUpdate}");
    }
}
