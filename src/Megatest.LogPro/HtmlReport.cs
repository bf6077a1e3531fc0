using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace Megatest.LogPro;

/// <summary>Streams the HTML report: the log lines as they are read, the rule table at the end.</summary>
internal sealed class HtmlReport : IDisposable
{
    private static readonly SearchValues<char> s_special = SearchValues.Create("<>&\"");
    private readonly StreamWriter _writer;

    public HtmlReport(string path, string ruleFile)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        _writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        _writer.Write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>logpro: ");
        Escape(ruleFile);
        _writer.Write("</title>\n<style>\nbody{font-family:sans-serif}\npre{font-size:90%}\n"
            + ".error,.required,.value,.abort{background:#fbb}\n.warning,.required-warn{background:#fe9}\n"
            + ".check,.skip{background:#bdf}\n.waive{background:#dfd}\n.ignore,.note{color:#777}\n.trigger{background:#ddd}\n"
            + "table{border-collapse:collapse}\ntd,th{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top}\n"
            + "tr.FAIL td.status{background:#f88;font-weight:bold}\ntr.OK td.status{background:#8e8}\n</style></head><body>\n");
        _writer.Write("<h2>logpro report for rules ");
        Escape(ruleFile);
        _writer.Write("</h2>\n<p><a href=\"#summary\">Jump to the rule summary</a></p>\n<pre>\n");
    }

    /// <summary>Writes uncredited log text (any number of whole lines) escaped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteText(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            var i = text.IndexOfAny(s_special);
            if (i < 0)
            {
                _writer.Write(text);
                return;
            }

            _writer.Write(text[..i]);
            _writer.Write(text[i] switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                _ => "&quot;",
            });
            text = text[(i + 1)..];
        }
    }

    /// <summary>Writes one highlighted line with an anchor the rule table links to.</summary>
    public void WriteMarkedLine(ReadOnlySpan<char> line, long lineNo, string cssClass, string title)
    {
        _writer.Write("<span id=\"L");
        _writer.Write(lineNo);
        _writer.Write("\" class=\"");
        Escape(cssClass);
        _writer.Write("\" title=\"");
        Escape(title);
        _writer.Write("\">");
        WriteText(line);
        _writer.Write("</span>\n");
    }

    /// <summary>Closes the log and writes the status and rule table.</summary>
    public void Finish(int exitCode, string status, IReadOnlyList<RuleReport> rules, IReadOnlyList<string> messages)
    {
        _writer.Write("</pre>\n<h2 id=\"summary\">Result: ");
        Escape(status);
        _writer.Write(" (exit code ");
        _writer.Write(exitCode);
        _writer.Write(")</h2>\n");
        if (messages.Count > 0)
        {
            _writer.Write("<ul>\n");
            foreach (var m in messages)
            {
                _writer.Write("<li>");
                Escape(m);
                _writer.Write("</li>\n");
            }

            _writer.Write("</ul>\n");
        }

        _writer.Write("<table>\n<tr><th>rule</th><th>type</th><th>section</th><th>condition</th><th>measured</th><th>description</th><th>status</th><th>lines</th></tr>\n");
        foreach (var r in rules)
        {
            var o = r.Outcome;
            var ok = o.Passed ? "OK" : "FAIL";
            _writer.Write($"<tr class=\"{ok}\"><td>rule-{o.Index}</td><td class=\"{WebUtility.HtmlEncode(r.CssClass)}\">");
            Escape(o.Type);
            _writer.Write("</td><td>");
            Escape((r.Where == "not-in" ? "not-in " : "") + o.Section);
            _writer.Write("</td><td>");
            Escape(o.Operator + " " + o.Expected + (o.Tolerance.Length > 0 ? " +/- " + o.Tolerance : ""));
            _writer.Write("</td><td>");
            Escape(r.Expired ? "expired" : o.Measured);
            _writer.Write("</td><td>");
            Escape(o.Description);
            _writer.Write($"</td><td class=\"status\">{ok}</td><td>");
            foreach (var line in r.Lines)
            {
                _writer.Write($"<a href=\"#L{line}\">{line}</a> ");
            }

            if (r.Count > r.Lines.Count)
            {
                _writer.Write($"... ({r.Count} in all)");
            }

            _writer.Write("</td></tr>\n");
        }

        _writer.Write("</table>\n</body></html>\n");
    }

    /// <summary>Writes a report for a rule file that could not be read.</summary>
    public static void WriteSyntaxError(string path, string ruleFile, string message)
    {
        using var report = new HtmlReport(path, ruleFile);
        report.Finish(1, "FAIL", [], [message]);
    }

    public void Dispose() => _writer.Dispose();

    private void Escape(string s) => WriteText(s);
}
