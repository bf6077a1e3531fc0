using Megatest.Config;

namespace Megatest.Cli;

/// <summary>Where an area keeps its database.</summary>
public static class AreaLocations
{
    /// <summary>megatest.db in [setup] dbdir (relative to the area top), else in the area top.</summary>
    public static string DatabasePath(AreaConfig area)
    {
        ArgumentNullException.ThrowIfNull(area);
        var dbdir = area.Megatest.Get("setup", "dbdir")?.Trim();
        var dir = string.IsNullOrEmpty(dbdir) ? area.TopPath : Path.GetFullPath(Path.Combine(area.TopPath, dbdir));
        return Path.Combine(dir, "megatest.db");
    }
}
