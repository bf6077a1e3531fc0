using System.Text;

namespace Megatest.LogPro;

/// <summary>Writes the .dat summary in Megatest config format: [rule-N] sections and [final].</summary>
internal static class DatFile
{
    /// <summary>The .dat path for an HTML report path (STEP.html → STEP.dat).</summary>
    public static string PathFor(string htmlPath) => Path.ChangeExtension(htmlPath, ".dat");

    public static void Write(string path, int exitCode, string status, IReadOnlyList<RuleReport> rules, IReadOnlyList<string> messages)
    {
        var sb = new StringBuilder();
        foreach (var r in rules)
        {
            var o = r.Outcome;
            sb.Append("[rule-").Append(o.Index).Append("]\n");
            Key(sb, "type", o.Type);
            Key(sb, "where", r.Where);
            Key(sb, "operator", o.Operator);
            Key(sb, "section", o.Section);
            Key(sb, "desc", o.Description);
            Key(sb, "status", o.Passed ? "OK" : "FAIL");
            if (r.IsValue)
            {
                Key(sb, "value", o.Measured);
                Key(sb, "pass", r.PassCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Key(sb, "fail", r.FailCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                Key(sb, "count", r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            Key(sb, "expected", o.Expected);
            Key(sb, "measured", o.Measured);
            Key(sb, "tolerance", o.Tolerance);
            if (r.Expired)
            {
                Key(sb, "expired", "yes");
            }

            sb.Append('\n');
        }

        sb.Append("[final]\n");
        Key(sb, "exit-code", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Key(sb, "exit-status", status);
        foreach (var m in messages)
        {
            Key(sb, "message", m);
        }

        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    private static void Key(StringBuilder sb, string key, string value)
    {
        if (value.Length == 0)
        {
            return;
        }

        sb.Append(key).Append(' ').Append(value.Replace('\n', ' ').Replace('\r', ' ').Trim()).Append('\n');
    }
}
