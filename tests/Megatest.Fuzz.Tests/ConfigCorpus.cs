using Megatest.Config;

namespace Megatest.Fuzz.Tests;

/// <summary>The real config files of the shared corpus (megatest.config, runconfigs.config, testconfigs, includes), read from the fuzz copy.</summary>
public static class ConfigCorpus
{
    /// <summary>The config files under <paramref name="areas"/>, sorted by path.</summary>
    public static IReadOnlyList<ConfigCorpusFile> Load(string areas)
    {
        var files = new List<ConfigCorpusFile>();
        foreach (var path in Directory.GetFiles(areas, "*config*", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(areas, path);
            var area = Path.Combine(areas, relative.Split(Path.DirectorySeparatorChar)[0]);
            var name = Path.GetFileName(path);
            var kind = name switch
            {
                "megatest.config" => ConfigKind.MegatestConfig,
                "runconfigs.config" => ConfigKind.RunConfigs,
                _ when name.EndsWith("testconfig", StringComparison.Ordinal) => ConfigKind.TestConfig,
                _ => ConfigKind.Generic,
            };
            files.Add(new ConfigCorpusFile(path, area, kind, File.ReadAllText(path)));
        }

        return files;
    }
}
