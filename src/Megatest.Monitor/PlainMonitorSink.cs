using System.Globalization;
using Megatest.Protocol;

namespace Megatest.Monitor;

/// <summary>Prints what the monitor sees as lines for people.</summary>
public sealed class PlainMonitorSink(TextWriter output) : IMonitorSink
{
    /// <inheritdoc />
    public void Snapshot(long runId, string target, string runName, long sequence, IReadOnlyList<TestRowInfo> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        output.WriteLine($"snapshot run {runId} {target}/{runName} at seq {sequence}: {rows.Count} tests");
        foreach (var row in rows.OrderBy(r => r.TestName, StringComparer.Ordinal).ThenBy(r => r.ItemPath, StringComparer.Ordinal))
        {
            output.WriteLine("  " + Row(row));
        }

        output.Flush();
    }

    /// <inheritdoc />
    public void TestChanged(long sequence, TestChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        output.WriteLine($"[{sequence,5}] run {change.Row.RunId} {change.Target}/{change.RunName} " + Row(change.Row));
        output.Flush();
    }

    /// <inheritdoc />
    public void RunChanged(long sequence, RunChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        output.WriteLine($"[{sequence,5}] run {change.RunId} {change.Target}/{change.RunName} run {change.State}/{change.Status}");
        output.Flush();
    }

    /// <inheritdoc />
    public void Resync(long runId, long haveSequence, long gotSequence)
    {
        output.WriteLine($"resync run {runId}: had seq {haveSequence}, got {gotSequence}");
        output.Flush();
    }

    private static string Row(TestRowInfo row)
    {
        var name = row.TestName + (row.ItemPath.Length > 0 ? "/" + row.ItemPath : "");
        var duration = row.RunDuration.ToString("0", CultureInfo.InvariantCulture) + "s";
        return $"{row.State,-15} {row.Status,-15} {duration,6}  {name}" + (row.Host.Length > 0 ? "  @" + row.Host : "");
    }
}
