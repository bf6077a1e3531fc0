using Megatest.Config;

namespace Megatest.Config.Tests;

/// <summary>Small helpers for reading config text in tests.</summary>
internal static class Cfg
{
    public static EnvironmentScope Env(params (string Name, string Value)[] vars)
    {
        var env = EnvironmentScope.Empty();
        env.Set("PATH", "/usr/local/bin:/usr/bin:/bin");
        foreach (var (name, value) in vars)
        {
            env.Set(name, value);
        }

        return env;
    }

    public static ConfigData Read(
        string text,
        ConfigKind kind = ConfigKind.Generic,
        EnvironmentScope? env = null,
        string? target = null,
        bool allowShell = true,
        string? workingDirectory = null,
        string fileName = "test.config",
        string? areaHome = null) =>
        ConfigReader.ReadText(text, fileName, new ConfigReadOptions
        {
            Kind = kind,
            Environment = env ?? Env(),
            Target = target,
            AllowShell = allowShell,
            WorkingDirectory = workingDirectory,
            AreaHome = areaHome,
        });

    public static string[] Keys(ConfigData data, string section) => data.Section(section).Select(kv => kv.Key).ToArray();
}
