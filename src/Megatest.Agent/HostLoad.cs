using System.Globalization;

namespace Megatest.Agent;

/// <summary>The host's 1-minute load average per core, as [jobtools] maxload compares it.</summary>
public static class HostLoad
{
    /// <summary>Load per core, or 0 when /proc/loadavg cannot be read.</summary>
    public static double PerCore()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ', 2)[0];
            return double.Parse(first, CultureInfo.InvariantCulture) / Environment.ProcessorCount;
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
