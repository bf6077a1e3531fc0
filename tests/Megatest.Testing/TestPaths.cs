namespace Megatest.Testing;

/// <summary>Locates the repository, the shared corpus beside it and the built executables.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    /// <summary>The folder that holds Megatest.sln.</summary>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>The shared folder laid beside the checkout (MEGATEST_SHARED overrides).</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("MEGATEST_SHARED") is { Length: > 0 } s
            ? s
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>The real Megatest areas of the compatibility corpus.</summary>
    public static string SharedAreas => Path.Combine(Shared, "megatest-areas");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Megatest.sln")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException("Megatest.sln not found above " + AppContext.BaseDirectory);
    }
}
