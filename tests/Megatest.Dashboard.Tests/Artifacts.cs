using Megatest.Testing;

namespace Megatest.Dashboard.Tests;

/// <summary>Where tests leave files for CI to keep (screenshots, reports): $MEGATEST_ARTIFACTS or tests/Megatest.Dashboard.Tests/bin/artifacts.</summary>
public static class Artifacts
{
    /// <summary>The folder (created).</summary>
    public static string Folder
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("MEGATEST_ARTIFACTS") is { Length: > 0 } a
                ? a
                : Path.Combine(TestPaths.RepoRoot, "tests", "Megatest.Dashboard.Tests", "bin", "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>A path in the folder.</summary>
    public static string File(string name) => Path.Combine(Folder, name);

    /// <summary>The live test area shipped with this project.</summary>
    public static string LiveAreaSource => Path.Combine(AppContext.BaseDirectory, "Areas", "live");
}
