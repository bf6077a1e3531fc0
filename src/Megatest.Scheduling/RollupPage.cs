using System.Net;
using System.Text;
using Megatest.Config;

namespace Megatest.Scheduling;

/// <summary>
/// The toplevel page of an itemized test, megatest-rollup-TEST.html in the test's link-tree directory
/// (SPEC §3.5): one row per item with state, status and comment, and counts by state/status.
/// [testrollup] TEST SCRIPT in megatest.config replaces it with the script's output.
/// </summary>
public static class RollupPage
{
    /// <summary>The page's file name for <paramref name="testName"/>.</summary>
    public static string FileName(string testName) => $"megatest-rollup-{testName}.html";

    /// <summary>Writes the page into <paramref name="testDir"/> when that directory exists.</summary>
    public static void Write(AreaConfig area, string testDir, string testName, IEnumerable<RowState> items)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(items);
        if (!Directory.Exists(testDir))
        {
            return;
        }

        var path = Path.Combine(testDir, FileName(testName));
        if (area.Megatest.Get("testrollup", testName) is { } script)
        {
            var (_, output) = Shell.RunVerbatim(script, area.Environment, testDir);
            File.WriteAllText(path, output);
            return;
        }

        var rows = items.OrderBy(r => r.ItemPath, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        var title = WebUtility.HtmlEncode(testName);
        sb.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(title).Append(" items</title></head><body>\n<h1>")
            .Append(title).Append("</h1>\n<table border=\"1\"><tr><th>Item</th><th>State</th><th>Status</th><th>Comment</th></tr>\n");
        foreach (var r in rows)
        {
            var link = WebUtility.HtmlEncode(r.ItemPath) + "/test-summary.html";
            sb.Append("<tr><td><a href=\"").Append(link).Append("\">").Append(WebUtility.HtmlEncode(r.ItemPath)).Append("</a></td><td>")
                .Append(WebUtility.HtmlEncode(r.State)).Append("</td><td>").Append(WebUtility.HtmlEncode(r.Status)).Append("</td><td>")
                .Append(WebUtility.HtmlEncode(r.Comment)).Append("</td></tr>\n");
        }

        sb.Append("</table>\n<h2>Counts</h2>\n<table border=\"1\"><tr><th>State/Status</th><th>Count</th></tr>\n");
        foreach (var g in rows.GroupBy(r => r.State + "/" + r.Status).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append("<tr><td>").Append(WebUtility.HtmlEncode(g.Key)).Append("</td><td>").Append(g.Count()).Append("</td></tr>\n");
        }

        sb.Append("</table>\n</body></html>\n");
        File.WriteAllText(path, sb.ToString());
    }
}
