namespace Megatest.Storage;

/// <summary>
/// Archive bookkeeping (SPEC §5.7) in Megatest's tables: archive_disks, archive_blocks, archive_allocations and archives
/// live in the main database; tests.archived and the tests' state are written where the run's tests are (its own file
/// with <c>[db] api new</c>).
/// </summary>
public sealed partial class WriteBatch
{
    private const string FindArchiveDiskSql = "SELECT id FROM archive_disks WHERE archive_area_name = @name AND disk_path = @path";
    private const string InsertArchiveDiskSql = "INSERT INTO archive_disks (archive_area_name, disk_path, last_df, last_df_time) VALUES (@name, @path, -1, @now)";
    private const string FindArchiveBlockSql = "SELECT id FROM archive_blocks WHERE archive_disk_id = @disk AND disk_path = @path";
    private const string InsertArchiveBlockSql = "INSERT INTO archive_blocks (archive_disk_id, disk_path, last_du, last_du_time) VALUES (@disk, @path, -1, @now)";
    private const string InsertAllocationSql = "INSERT INTO archive_allocations (archive_block_id, testname, item_path, creation_time) VALUES (@block, @testname, @item_path, @now)";
    private const string InsertArchiveSql = "INSERT INTO archives (archive_block_id, run_id, test_id, archive_path, creation_time) VALUES (@block, @run_id, @test_id, @path, @now)";
    private const string SetArchivedSql = "UPDATE tests SET archived = @block, last_update = @now WHERE id = @id";

    /// <summary>
    /// Records that the tests <paramref name="testIds"/> of run <paramref name="runId"/> are in the archive
    /// <paramref name="archivePath"/> of block <paramref name="blockPath"/> on <paramref name="disk"/> (its [archive-disks] name and path): finds or adds the
    /// disk and block rows, adds an allocation and an archives row per test, sets tests.archived to the block id and, when
    /// <paramref name="state"/> is given, the tests' state. Returns the changed rows (toplevels rolled up after their items).
    /// </summary>
    /// <exception cref="StorageException">A test does not exist or belongs to another run.</exception>
    public IReadOnlyList<TestRow> RecordArchive(long runId, IReadOnlyCollection<long> testIds, (string Name, string Path) disk, string blockPath, string archivePath, string? state, long now)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(testIds);
        var diskId = FindOrInsert(FindArchiveDiskSql, InsertArchiveDiskSql, ("@name", disk.Name), ("@path", disk.Path), ("@now", now));
        var blockId = FindOrInsert(FindArchiveBlockSql, InsertArchiveBlockSql, ("@disk", diskId), ("@path", blockPath), ("@now", now));
        var changed = new List<TestRow>();
        foreach (var id in testIds.Distinct())
        {
            var row = RequireTest(id);
            if (row.RunId != runId)
            {
                throw new StorageException($"Test {id} belongs to run {row.RunId}, not to run {runId}.");
            }

            _commands.Execute(InsertAllocationSql, ("@block", blockId), ("@testname", row.TestName), ("@item_path", row.ItemPath), ("@now", now));
            _commands.Execute(InsertArchiveSql, ("@block", blockId), ("@run_id", runId), ("@test_id", id), ("@path", archivePath), ("@now", now));
            TestCommands(id).Execute(SetArchivedSql, ("@block", blockId), ("@now", now), ("@id", id)); // the run's file with [db] api new
            changed.AddRange(state is null ? [RequireTest(id)] : UpdateTest(id, new TestUpdate { State = state }, now));
        }

        return changed;
    }

    private long FindOrInsert(string findSql, string insertSql, params (string Name, object? Value)[] parameters)
    {
        if (_commands.Scalar(findSql, parameters) is { } found)
        {
            return ToLong(found);
        }

        _commands.Execute(insertSql, parameters);
        return LastInsertRowId();
    }
}
