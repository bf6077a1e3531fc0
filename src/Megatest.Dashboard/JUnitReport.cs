using System.Globalization;
using System.Text;
using System.Xml;
using Megatest.Storage;

namespace Megatest.Dashboard;

/// <summary>
/// JUnit XML of a run, in the shape Jenkins' junit plugin and GitLab read: one <c>testsuite</c> per test, one
/// <c>testcase</c> per item (or the test itself when it has no items), its steps and their logs as
/// <c>system-out</c>, its test data as the suite's <c>properties</c>.
/// </summary>
internal static class JUnitReport
{
    /// <summary>Longest log text copied per step.</summary>
    private const int MaxLogChars = 64 * 1024;

    /// <summary>Writes the report of <paramref name="run"/>; returns the number of test cases.</summary>
    public static int Write(DashboardQueries q, RunRow run, TextWriter output)
    {
        var rows = q.Tests(run.Id);
        var steps = q.RunSteps(run.Id);
        var data = q.RunTestData(run.Id);
        var byTest = rows.GroupBy(r => r.TestName, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var cases = byTest.Select(g => (Name: g.Key, Rows: g.Any(r => r.ItemPath.Length > 0) ? g.Where(r => r.ItemPath.Length > 0).ToList() : g.ToList())).ToList();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true };
        var package = string.Join(".", run.KeyValues.Select(Clean).Append(Clean(run.RunName)));
        var totals = cases.SelectMany(c => c.Rows).Select(Outcome).ToList();

        // The declaration names UTF-8 whatever the writer (a StringWriter would make XmlWriter say utf-16).
        output.Write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        using var xml = XmlWriter.Create(output, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", run.Target + "/" + run.RunName);
        xml.WriteAttributeString("tests", Num(totals.Count));
        xml.WriteAttributeString("failures", Num(totals.Count(o => o.Kind == "failure")));
        xml.WriteAttributeString("errors", Num(totals.Count(o => o.Kind == "error")));
        xml.WriteAttributeString("time", Seconds(cases.SelectMany(c => c.Rows).Sum(r => r.RunDuration)));
        var id = 0;
        foreach (var (name, testRows) in cases)
        {
            var outcomes = testRows.Select(Outcome).ToList();
            var start = testRows.Where(r => r.EventTime > 0).Select(r => r.EventTime).DefaultIfEmpty(run.EventTime).Min();
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", name);
            xml.WriteAttributeString("tests", Num(testRows.Count));
            xml.WriteAttributeString("failures", Num(outcomes.Count(o => o.Kind == "failure")));
            xml.WriteAttributeString("errors", Num(outcomes.Count(o => o.Kind == "error")));
            xml.WriteAttributeString("skipped", Num(outcomes.Count(o => o.Kind == "skipped")));
            xml.WriteAttributeString("time", Seconds(testRows.Sum(r => r.RunDuration)));
            xml.WriteAttributeString("timestamp", DateTimeOffset.FromUnixTimeSeconds(start).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("hostname", Text(testRows.Select(r => r.Host).FirstOrDefault(h => h is { Length: > 0 } && h != "n/a") ?? "localhost"));
            xml.WriteAttributeString("id", Num(id++));
            xml.WriteAttributeString("package", package);

            xml.WriteStartElement("properties");
            Property(xml, "target", run.Target);
            Property(xml, "runname", run.RunName);
            foreach (var row in testRows)
            {
                foreach (var d in data[row.Id])
                {
                    var prefix = row.ItemPath.Length > 0 ? row.ItemPath + "/" : "";
                    var value = d.Value + (d.Expected.Length > 0 ? $" (expected {d.Expected}" + (d.Tol.Length > 0 ? $" tol {d.Tol}" : "") + ")" : "")
                        + (d.Units.Length > 0 ? " " + d.Units : "") + (d.Status.Length > 0 ? " " + d.Status : "");
                    Property(xml, prefix + d.Category + "/" + d.Variable, value);
                }
            }

            xml.WriteEndElement();
            for (var i = 0; i < testRows.Count; i++)
            {
                var row = testRows[i];
                var outcome = outcomes[i];
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("name", Text(row.ItemPath.Length > 0 ? row.ItemPath : row.TestName));
                xml.WriteAttributeString("classname", package + "." + Clean(name));
                xml.WriteAttributeString("time", Seconds(row.RunDuration));
                if (outcome.Kind == "skipped")
                {
                    xml.WriteStartElement("skipped");
                    xml.WriteAttributeString("message", Text(outcome.Message));
                    xml.WriteEndElement();
                }
                else if (outcome.Kind is "failure" or "error")
                {
                    xml.WriteStartElement(outcome.Kind);
                    xml.WriteAttributeString("message", Text(outcome.Message));
                    xml.WriteAttributeString("type", Text(row.Status));
                    xml.WriteString(Text(FailedSteps(steps[row.Id])));
                    xml.WriteEndElement();
                }

                xml.WriteElementString("system-out", Text(StepOutput(row, steps[row.Id])));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
        return totals.Count;
    }

    private static (string Kind, string Message) Outcome(TestRow row)
    {
        var what = row.State + "/" + row.Status + (row.Comment.Length > 0 ? ": " + row.Comment : "");
        return row.State switch
        {
            "COMPLETED" or "ARCHIVED" => row.Status switch
            {
                "PASS" or "WARN" or "WAIVED" => ("pass", what),
                "SKIP" => ("skipped", what),
                _ => ("failure", what),
            },
            "NOT_STARTED" => ("skipped", "not run: " + what),
            "LAUNCHED" or "REMOTEHOSTSTART" or "RUNNING" => ("skipped", "not finished: " + what),
            _ => ("error", what),
        };
    }

    private static string FailedSteps(IEnumerable<StepRow> steps) =>
        string.Join("\n", steps.Where(s => s.State == "end" && s.Status is not ("0" or "PASS")).Select(s => $"step {s.StepName} ended with {s.Status}" + (s.Comment.Length > 0 ? ": " + s.Comment : "")));

    private static string StepOutput(TestRow row, IEnumerable<StepRow> steps)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{row.TestName}{(row.ItemPath.Length > 0 ? "/" + row.ItemPath : "")}: {row.State}/{row.Status} on {row.Host}, {row.RunDuration:0.#} s, run dir {row.RunDir}\n");
        if (row.Comment.Length > 0)
        {
            sb.Append("comment: ").Append(row.Comment).Append('\n');
        }

        foreach (var step in steps.Where(s => s.State == "end"))
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n=== step {step.StepName}: {step.Status}{(step.Comment.Length > 0 ? " (" + step.Comment + ")" : "")} log {step.LogFile}\n");
            var log = LogText(row.RunDir, step);
            if (log is not null)
            {
                sb.Append(log);
                if (!log.EndsWith('\n'))
                {
                    sb.Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>The step's plain log (STEP.log beside a STEP.html from the log checker), its last <see cref="MaxLogChars"/> characters.</summary>
    private static string? LogText(string runDir, StepRow step)
    {
        if (string.IsNullOrEmpty(step.LogFile) || !Path.IsPathRooted(runDir))
        {
            return null;
        }

        var file = DashboardEndpoints.Resolve(runDir, step.LogFile);
        if (file is not null && file.EndsWith(".html", StringComparison.Ordinal))
        {
            var plain = Path.ChangeExtension(file, ".log");
            file = File.Exists(plain) ? plain : file;
        }

        if (file is null || !File.Exists(file))
        {
            return null;
        }

        try
        {
            var text = File.ReadAllText(file);
            return text.Length > MaxLogChars ? "[… earlier output cut]\n" + text[^MaxLogChars..] : text;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", Text(name));
        xml.WriteAttributeString("value", Text(value));
        xml.WriteEndElement();
    }

    /// <summary>Drops characters XML 1.0 cannot carry (control characters from logs).</summary>
    private static string Text(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[++i]);
            }
            else if (c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string Clean(string s) => Text(s).Replace('.', '_').Replace('/', '_');

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);
}
