using System.Globalization;
using System.Net;
using System.Text;
using Megatest.Storage;

namespace Megatest.Dashboard;

/// <summary>The static HTML tree of <c>-generate-html</c>: pages of 10 runs, tests and items against runs, coloured as the dashboard.</summary>
internal static class HtmlTreeReport
{
    private const int RunsPerPage = 10;
    private const int MaxRowsPerPage = 5000;

    public static IReadOnlyList<string> Write(DashboardQueries q, string dir)
    {
        var runs = q.Runs(null, null, 100_000);
        var pages = Math.Max(1, (runs.Count + RunsPerPage - 1) / RunsPerPage);
        var written = new List<string>();
        for (var p = 0; p < pages; p++)
        {
            var pageRuns = runs.Skip(p * RunsPerPage).Take(RunsPerPage).ToList();
            var file = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"page{p}.html"));
            File.WriteAllText(file, Page(q, dir, pageRuns, p, pages), new UTF8Encoding(false));
            written.Add(file);
        }

        var index = Path.Combine(dir, "index.html");
        File.WriteAllText(index, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0; url=page0.html\"><title>Megatest runs</title></head><body><a href=\"page0.html\">runs</a></body></html>\n");
        written.Add(index);
        return written;
    }

    private static string Page(DashboardQueries q, string dir, List<RunRow> runs, int page, int pages)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Megatest runs, page ").Append(page).Append("</title>\n<style>\n")
            .Append("body{font-family:sans-serif;font-size:13px}table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}th{background:#eee}a{color:inherit}\n")
            .Append(StateColors.Css()).Append("</style></head><body>\n<h1>Megatest runs</h1>\n<p>");
        for (var p = 0; p < pages; p++)
        {
            sb.Append(p == page ? $"<b>page {p}</b> " : $"<a href=\"page{p}.html\">page {p}</a> ");
        }

        sb.Append("</p>\n");
        if (runs.Count == 0)
        {
            sb.Append("<p>No runs.</p></body></html>\n");
            return sb.ToString();
        }

        var ids = runs.Select(r => r.Id).ToList();
        var counts = q.RunCounts(ids);
        var cells = new Dictionary<(string, string, long), TestRow>();
        var keys = new SortedSet<(string Test, string Item)>();
        foreach (var run in runs)
        {
            foreach (var t in q.Tests(run.Id))
            {
                cells[(t.TestName, t.ItemPath, run.Id)] = t;
                if (keys.Count < MaxRowsPerPage)
                {
                    keys.Add((t.TestName, t.ItemPath));
                }
            }
        }

        sb.Append("<table>\n<tr><th>target</th>");
        foreach (var run in runs)
        {
            sb.Append("<th>").Append(E(run.Target)).Append("</th>");
        }

        sb.Append("</tr>\n<tr><th>run</th>");
        foreach (var run in runs)
        {
            sb.Append("<th>").Append(E(run.RunName)).Append("</th>");
        }

        sb.Append("</tr>\n<tr><th>counts</th>");
        foreach (var run in runs)
        {
            var c = counts.GetValueOrDefault(run.Id) ?? [];
            sb.Append("<td>").Append(E(string.Join(", ", c.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}")))).Append("</td>");
        }

        sb.Append("</tr>\n");
        foreach (var (test, item) in keys)
        {
            sb.Append("<tr><th style=\"text-align:left\">").Append(item.Length > 0 ? "&nbsp;&nbsp;" + E(item) : E(test)).Append("</th>");
            foreach (var run in runs)
            {
                if (!cells.TryGetValue((test, item, run.Id), out var t))
                {
                    sb.Append("<td></td>");
                    continue;
                }

                var label = E(StateColors.LabelFor(t.State, t.Status));
                var log = Path.IsPathRooted(t.RunDir) && t.FinalLogf.Length > 0 ? Path.GetRelativePath(dir, Path.Combine(t.RunDir, t.FinalLogf)) : null;
                sb.Append("<td class=\"").Append(StateColors.ClassFor(t.State, t.Status)).Append("\" title=\"").Append(E(t.State + "/" + t.Status + " " + t.Comment)).Append("\">")
                    .Append(log is null ? label : $"<a href=\"{E(log)}\">{label}</a>").Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</table>\n<p>Generated ").Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)).Append("</p></body></html>\n");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
