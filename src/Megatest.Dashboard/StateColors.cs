using System.Globalization;
using System.Text;

namespace Megatest.Dashboard;

/// <summary>Megatest's cell colours by state and status (SPEC §11), as CSS classes shared by the dashboard and the HTML reports.</summary>
public static class StateColors
{
    private static readonly (string Class, int R, int G, int B)[] s_palette =
    [
        ("c-pass", 70, 249, 73),
        ("c-warn", 255, 172, 13),
        ("c-abort", 198, 36, 166),
        ("c-fail", 253, 33, 49),
        ("c-skip", 240, 230, 90),
        ("c-arch-pass", 35, 125, 37),
        ("c-arch-warn", 150, 100, 8),
        ("c-arch-abort", 110, 20, 92),
        ("c-arch-fail", 140, 18, 27),
        ("c-arch-skip", 140, 135, 50),
        ("c-launched", 101, 123, 142),
        ("c-remotehoststart", 50, 130, 195),
        ("c-running", 9, 131, 232),
        ("c-killreq", 39, 54, 140),
        ("c-killed", 234, 101, 17),
        ("c-notstarted", 240, 240, 240),
        ("c-other", 190, 190, 190),
    ];

    /// <summary>The CSS class of a cell in <paramref name="state"/>/<paramref name="status"/>.</summary>
    public static string ClassFor(string state, string status)
    {
        switch (state)
        {
            case "COMPLETED":
                return "c-" + StatusKind(status);
            case "ARCHIVED":
                return "c-arch-" + StatusKind(status);
            case "LAUNCHED":
                return "c-launched";
            case "REMOTEHOSTSTART":
                return "c-remotehoststart";
            case "RUNNING":
                return "c-running";
            case "KILLREQ":
                return "c-killreq";
            case "KILLED":
                return "c-killed";
            case "NOT_STARTED":
                return status == "CHECK" ? "c-skip" : "c-notstarted";
            default:
                return "c-other";
        }
    }

    /// <summary>The label of a cell: the status once completed, else the state (as Megatest's buttons).</summary>
    public static string LabelFor(string state, string status) =>
        state is "COMPLETED" or "ARCHIVED" || (state == "NOT_STARTED" && status is not ("n/a" or "")) ? status : state;

    /// <summary>The RGB colour of a class as "rgb(r, g, b)".</summary>
    public static string Rgb(string cssClass)
    {
        foreach (var (name, r, g, b) in s_palette)
        {
            if (name == cssClass)
            {
                return string.Create(CultureInfo.InvariantCulture, $"rgb({r}, {g}, {b})");
            }
        }

        return "rgb(190, 190, 190)";
    }

    /// <summary>A style sheet with one rule per class (dark text on light colours, white on dark ones).</summary>
    public static string Css()
    {
        var sb = new StringBuilder();
        foreach (var (name, r, g, b) in s_palette)
        {
            var light = (0.299 * r) + (0.587 * g) + (0.114 * b) > 150;
            sb.Append(CultureInfo.InvariantCulture, $".{name}{{background:rgb({r},{g},{b});color:{(light ? "#111" : "#fff")}}}\n");
        }

        return sb.ToString();
    }

    private static string StatusKind(string status) => status switch
    {
        "PASS" => "pass",
        "WARN" or "WAIVED" => "warn",
        "ABORT" => "abort",
        "SKIP" => "skip",
        _ => "fail",
    };
}
