using System.Text.Json;
using Megatest.Protocol;
using Megatest.Storage;

namespace Megatest.Dashboard;

/// <summary>The JSON shapes the browser app reads.</summary>
internal static class DashboardJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static object Cell(TestRow t) => new
    {
        id = t.Id,
        run = t.RunId,
        test = t.TestName,
        item = t.ItemPath,
        state = t.State,
        status = t.Status,
        comment = t.Comment,
        host = t.Host,
        start = t.EventTime,
        dur = t.RunDuration,
        cls = StateColors.ClassFor(t.State, t.Status),
        label = StateColors.LabelFor(t.State, t.Status),
    };

    public static object Cell(TestRowInfo t, string target, string runName) => new
    {
        id = t.Id,
        run = t.RunId,
        test = t.TestName,
        item = t.ItemPath,
        state = t.State,
        status = t.Status,
        comment = t.Comment,
        host = t.Host,
        start = t.EventTime,
        dur = t.RunDuration,
        cls = StateColors.ClassFor(t.State, t.Status),
        label = StateColors.LabelFor(t.State, t.Status),
        target,
        runName,
    };

    public static object Run(RunRow r, IReadOnlyDictionary<string, long>? counts) => new
    {
        id = r.Id,
        target = r.Target,
        keys = r.KeyValues,
        runName = r.RunName,
        state = r.State,
        status = r.Status,
        owner = r.Owner,
        start = r.EventTime,
        counts = counts ?? new Dictionary<string, long>(),
    };
}
