using System.Text;
using Megatest.Storage;

namespace Megatest.Dashboard;

/// <summary>The reports CI systems and people read without a running dashboard: JUnit XML of a run (<c>-junit</c>) and the static HTML tree (<c>-generate-html</c>).</summary>
public static class ReportWriter
{
    /// <summary>Writes the JUnit XML of run <paramref name="target"/>/<paramref name="runName"/> to <paramref name="outputPath"/>; returns the number of test cases.</summary>
    /// <exception cref="ReportException">The database cannot be read, the run does not exist or the file cannot be written.</exception>
    public static int WriteJUnit(string databasePath, string target, string runName, string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(outputPath));
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            var temp = outputPath + ".tmp";
            int count;
            using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false)))
            {
                count = WriteJUnit(databasePath, target, runName, writer);
            }

            File.Move(temp, outputPath, overwrite: true);
            return count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReportException($"Cannot write JUnit file '{outputPath}': {ex.Message}", ex);
        }
    }

    /// <summary>Writes the JUnit XML of run <paramref name="target"/>/<paramref name="runName"/> to <paramref name="output"/>; returns the number of test cases.</summary>
    /// <exception cref="ReportException">The database cannot be read or the run does not exist.</exception>
    public static int WriteJUnit(string databasePath, string target, string runName, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(runName);
        ArgumentNullException.ThrowIfNull(output);
        using var q = Open(databasePath);
        var run = q.FindRun(target, runName)
            ?? throw new ReportException($"No run {target}/{runName} in '{databasePath}' (keys: {string.Join("/", q.KeyNames)}); see megatest -list-runs %.");
        return JUnitReport.Write(q, run, output);
    }

    /// <summary>
    /// Writes the static HTML summary of every run into <paramref name="outputDirectory"/> (the area's link tree for
    /// <c>-generate-html</c>): <c>page0.html</c>, <c>page1.html</c>, … with 10 runs each, newest first, and <c>index.html</c>.
    /// Returns the files written.
    /// </summary>
    /// <exception cref="ReportException">The database cannot be read or the directory cannot be written.</exception>
    public static IReadOnlyList<string> GenerateHtml(string databasePath, string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        using var q = Open(databasePath);
        try
        {
            Directory.CreateDirectory(outputDirectory);
            return HtmlTreeReport.Write(q, outputDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReportException($"Cannot write HTML pages into '{outputDirectory}': {ex.Message}", ex);
        }
    }

    private static DashboardQueries Open(string databasePath)
    {
        try
        {
            return DashboardQueries.Open(databasePath);
        }
        catch (StorageException ex)
        {
            throw new ReportException(ex.Message, ex);
        }
    }
}
