using Megatest.Config;
using Megatest.Dashboard;

namespace Megatest.Cli;

/// <summary>Reports other tools read: -junit FILE (JUnit XML of one run) and -generate-html (static pages in the link tree).</summary>
public static class ReportCommands
{
    /// <summary>True when a report is asked for.</summary>
    public static bool Applies(CliArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Has("-junit") || args.Has("-generate-html");
    }

    /// <summary>Writes the report.</summary>
    public static int Execute(CliArgs args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var area = AreaConfig.Load(Directory.GetCurrentDirectory(), null, EnvironmentScope.FromProcess());
        try
        {
            if (args.Get("-junit") is { } file)
            {
                var target = args.Get("-target") ?? throw new UsageException("-junit needs -target");
                var runName = args.Get("-runname") ?? throw new UsageException("-junit needs -runname", 2);
                var cases = ReportWriter.WriteJUnit(area.DatabasePath, target, runName, file);
                output.WriteLine($"wrote {cases} test cases to {file}");
                return 0;
            }

            ReportWriter.GenerateHtml(area.DatabasePath, area.LinkTree);
            output.WriteLine($"wrote the HTML pages to {area.LinkTree}");
            return 0;
        }
        catch (ReportException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
