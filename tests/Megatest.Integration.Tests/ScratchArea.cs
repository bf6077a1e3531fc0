namespace Megatest.Integration.Tests;

/// <summary>A small Megatest area written by a test: one key, a link tree and a disk inside the area.</summary>
public static class ScratchArea
{
    /// <summary>Writes megatest.config, runconfigs.config and the tests (name → files: "testconfig" and scripts).</summary>
    public static string Create(string directory, string extraConfig, params (string Test, (string File, string Text)[] Files)[] tests)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "megatest.config"),
            "[fields]\nKEY TEXT\n\n[setup]\nlinktree #{getenv MT_RUN_AREA_HOME}/links\n\n[disks]\ndisk0 #{getenv MT_RUN_AREA_HOME}/runs\n\n" + extraConfig + "\n");
        File.WriteAllText(Path.Combine(directory, "runconfigs.config"), "[default]\nGREETING hello\n");
        Directory.CreateDirectory(Path.Combine(directory, "runs"));
        foreach (var (test, files) in tests)
        {
            var dir = Path.Combine(directory, "tests", test);
            Directory.CreateDirectory(dir);
            foreach (var (file, text) in files)
            {
                File.WriteAllText(Path.Combine(dir, file), text);
            }
        }

        return directory;
    }
}
