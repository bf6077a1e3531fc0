using System.Text.Json;

namespace Megatest.Integration.Tests;

/// <summary>
/// Folds the JSON lines of `megatest monitor -dumpmode json`: the snapshot of each run, then its changes, checking
/// that every change comes with the next sequence number of its run.
/// </summary>
public sealed class MonitorLog
{
    public Dictionary<long, Dictionary<long, (string Test, string Item, string State, string Status)>> Rows { get; } = [];

    public Dictionary<long, long> Sequence { get; } = [];

    public Dictionary<long, long> SnapshotSequence { get; } = [];

    public List<string> Problems { get; } = [];

    public int Changes { get; private set; }

    public int Resyncs { get; private set; }

    public static MonitorLog Parse(IEnumerable<string> lines)
    {
        var log = new MonitorLog();
        foreach (var line in lines.Where(l => l.StartsWith('{')))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var runId = root.GetProperty("runId").GetInt64();
            switch (root.GetProperty("type").GetString())
            {
                case "snapshot":
                {
                    var seq = root.GetProperty("sequence").GetInt64();
                    log.Sequence[runId] = seq;
                    log.SnapshotSequence.TryAdd(runId, seq);
                    var rows = log.Rows[runId] = [];
                    foreach (var row in root.GetProperty("rows").EnumerateArray())
                    {
                        rows[row.GetProperty("id").GetInt64()] = Row(row);
                    }

                    break;
                }

                case "test":
                case "run":
                {
                    var seq = root.GetProperty("sequence").GetInt64();
                    if (!log.Sequence.TryGetValue(runId, out var last))
                    {
                        log.Problems.Add($"run {runId}: change {seq} before any snapshot");
                    }
                    else if (seq != last + 1)
                    {
                        log.Problems.Add($"run {runId}: change {seq} after {last}");
                    }

                    log.Sequence[runId] = seq;
                    log.Changes++;
                    if (root.TryGetProperty("row", out var row))
                    {
                        log.Rows.TryAdd(runId, []);
                        log.Rows[runId][row.GetProperty("id").GetInt64()] = Row(row);
                    }

                    break;
                }

                case "resync":
                    log.Resyncs++;
                    break;
            }
        }

        return log;
    }

    /// <summary>(test, item) → (state, status) of one run as the stream says.</summary>
    public Dictionary<(string Test, string Item), (string State, string Status)> Tests(long runId) =>
        Rows.GetValueOrDefault(runId)?.Values.ToDictionary(r => (r.Test, r.Item), r => (r.State, r.Status)) ?? [];

    private static (string, string, string, string) Row(JsonElement row) =>
        (row.GetProperty("testName").GetString()!, row.GetProperty("itemPath").GetString()!, row.GetProperty("state").GetString()!, row.GetProperty("status").GetString()!);
}
