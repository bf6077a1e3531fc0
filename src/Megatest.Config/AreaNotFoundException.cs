namespace Megatest.Config;

/// <summary>No megatest.config was found from the start directory upward.</summary>
public sealed class AreaNotFoundException : Exception
{
    /// <summary>Creates the error.</summary>
    public AreaNotFoundException(string startDirectory, string configFileName)
        : base($"No {configFileName} found in {startDirectory} or any parent directory")
    {
        StartDirectory = startDirectory;
        ConfigFileName = configFileName;
    }

    /// <summary>Where the search started.</summary>
    public string StartDirectory { get; }

    /// <summary>The file name searched for.</summary>
    public string ConfigFileName { get; }
}
