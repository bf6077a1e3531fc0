using System.Text;
using System.Text.Json;
using Megatest.Protocol;

namespace Megatest.Monitor;

/// <summary>
/// Prints what the monitor sees as JSON lines (-dumpmode json): one object per line with "type" snapshot,
/// test, run or resync, the run id and the run's sequence number.
/// </summary>
public sealed class JsonMonitorSink(TextWriter output) : IMonitorSink
{
    /// <inheritdoc />
    public void Snapshot(long runId, string target, string runName, long sequence, IReadOnlyList<TestRowInfo> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Write(w =>
        {
            w.WriteString("type", "snapshot");
            w.WriteNumber("runId", runId);
            w.WriteString("target", target);
            w.WriteString("runName", runName);
            w.WriteNumber("sequence", sequence);
            w.WriteStartArray("rows");
            foreach (var row in rows)
            {
                WriteRow(w, row);
            }

            w.WriteEndArray();
        });
    }

    /// <inheritdoc />
    public void TestChanged(long sequence, TestChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Write(w =>
        {
            w.WriteString("type", "test");
            w.WriteNumber("runId", change.Row.RunId);
            w.WriteString("target", change.Target);
            w.WriteString("runName", change.RunName);
            w.WriteNumber("sequence", sequence);
            w.WritePropertyName("row");
            WriteRow(w, change.Row);
        });
    }

    /// <inheritdoc />
    public void RunChanged(long sequence, RunChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Write(w =>
        {
            w.WriteString("type", "run");
            w.WriteNumber("runId", change.RunId);
            w.WriteString("target", change.Target);
            w.WriteString("runName", change.RunName);
            w.WriteNumber("sequence", sequence);
            w.WriteString("state", change.State);
            w.WriteString("status", change.Status);
        });
    }

    /// <inheritdoc />
    public void Resync(long runId, long haveSequence, long gotSequence) => Write(w =>
    {
        w.WriteString("type", "resync");
        w.WriteNumber("runId", runId);
        w.WriteNumber("had", haveSequence);
        w.WriteNumber("got", gotSequence);
    });

    private static void WriteRow(Utf8JsonWriter w, TestRowInfo row)
    {
        w.WriteStartObject();
        w.WriteNumber("id", row.Id);
        w.WriteString("testName", row.TestName);
        w.WriteString("itemPath", row.ItemPath);
        w.WriteString("state", row.State);
        w.WriteString("status", row.Status);
        w.WriteString("comment", row.Comment);
        w.WriteString("host", row.Host);
        w.WriteString("runDir", row.RunDir);
        w.WriteNumber("eventTime", row.EventTime);
        w.WriteNumber("runDuration", row.RunDuration);
        w.WriteString("finalLogf", row.FinalLogf);
        w.WriteEndObject();
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        output.Flush();
    }
}
