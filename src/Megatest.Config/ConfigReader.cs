namespace Megatest.Config;

/// <summary>Reads Megatest config files (SPEC §2).</summary>
public static class ConfigReader
{
    /// <summary>Reads a file; includes are resolved relative to its directory.</summary>
    /// <exception cref="ConfigException">The file cannot be read or has an error.</exception>
    public static ConfigData ReadFile(string path, ConfigReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.GetFullPath(path, string.IsNullOrEmpty(options.WorkingDirectory) ? Directory.GetCurrentDirectory() : Path.GetFullPath(options.WorkingDirectory));
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(full, 0, "cannot read config file: " + ex.Message, ex);
        }

        return new ConfigParser(options).Read(text, full);
    }

    /// <summary>Reads config text; <paramref name="fileName"/> names it in messages and anchors relative includes.</summary>
    /// <exception cref="ConfigException">The text has an error.</exception>
    public static ConfigData ReadText(string text, string fileName, ConfigReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(options);
        return new ConfigParser(options).Read(text, fileName);
    }

    /// <summary>
    /// Passes a value through the shell as <c>echo VALUE</c> (how [env-override] and runconfigs values are
    /// exported); on failure the value is returned as written.
    /// </summary>
    public static string EchoEvaluate(string value, EnvironmentScope env, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return value;
        }

        var result = Shell.RunRaw("echo " + value, env, workingDirectory, captureOutput: true);
        return result.ExitCode == 0 ? Shell.JoinLines(result.Stdout) : value;
    }
}
