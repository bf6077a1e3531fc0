using System.Net;
using System.Text;

namespace Megatest.Agent;

/// <summary>Writes test-summary.html in the run directory when a test ends: its state, status, comment and steps.</summary>
public static class TestSummary
{
    /// <summary>Writes the page.</summary>
    public static void Write(string runDir, string testName, string itemPath, string state, string status, string? comment, IEnumerable<(string Step, string Status, string? Comment, string? Log)> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var sb = new StringBuilder();
        var title = WebUtility.HtmlEncode(testName + (itemPath.Length > 0 ? "/" + itemPath : ""));
        sb.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(title).Append("</title></head><body>\n");
        sb.Append("<h1>").Append(title).Append("</h1>\n<p>State: <b>").Append(WebUtility.HtmlEncode(state))
            .Append("</b> Status: <b>").Append(WebUtility.HtmlEncode(status)).Append("</b></p>\n");
        if (!string.IsNullOrEmpty(comment))
        {
            sb.Append("<p>").Append(WebUtility.HtmlEncode(comment)).Append("</p>\n");
        }

        sb.Append("<table border=\"1\"><tr><th>Step</th><th>Status</th><th>Comment</th><th>Log</th></tr>\n");
        foreach (var (step, stepStatus, stepComment, log) in steps)
        {
            var link = log is null ? "" : $"<a href=\"{WebUtility.HtmlEncode(log)}\">{WebUtility.HtmlEncode(log)}</a>";
            sb.Append("<tr><td>").Append(WebUtility.HtmlEncode(step)).Append("</td><td>").Append(WebUtility.HtmlEncode(stepStatus))
                .Append("</td><td>").Append(WebUtility.HtmlEncode(stepComment ?? "")).Append("</td><td>").Append(link).Append("</td></tr>\n");
        }

        sb.Append("</table>\n</body></html>\n");
        File.WriteAllText(Path.Combine(runDir, "test-summary.html"), sb.ToString());
    }
}
