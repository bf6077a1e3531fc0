using Megatest.Config;

namespace Megatest.Fuzz.Tests;

/// <summary>The promises of the config reader, checked after every fuzz case.</summary>
public static class ConfigChecks
{
    /// <summary>A refused input: the error names the file and a line, and the message starts with "FILE:LINE:".</summary>
    public static void Refused(ConfigException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (string.IsNullOrEmpty(ex.FileName))
        {
            throw new FuzzContractException($"ConfigException without a file name: {ex.Message}");
        }

        if (ex.Line < 1)
        {
            throw new FuzzContractException($"ConfigException without a line (Line = {ex.Line}): {ex.Message}");
        }

        if (!ex.Message.StartsWith($"{ex.FileName}:{ex.Line}: ", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(ex.Detail))
        {
            throw new FuzzContractException($"ConfigException message does not start with FILE:LINE: or says nothing: {ex.Message}");
        }
    }

    /// <summary>Throws when a command ran (the canary file exists).</summary>
    public static void NoCommandRan(string root)
    {
        if (File.Exists(Path.Combine(root, ConfigFuzzArea.Canary)))
        {
            throw new FuzzContractException($"a shell command, [system] or [scriptinc] ran although AllowShell = false ({ConfigFuzzArea.Canary} was created)");
        }
    }
}
