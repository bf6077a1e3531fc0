namespace Megatest.Bench.Common;

/// <summary>Describes the machine a benchmark ran on and reads a process's memory figures.</summary>
public static class Machine
{
    /// <summary>"N cores, CPU MODEL".</summary>
    public static string Describe()
    {
        var model = "unknown CPU";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                model = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }

        return $"{Environment.ProcessorCount} cores, {model}";
    }

    /// <summary>User + system CPU seconds used so far by process <paramref name="pid"/> (from /proc/PID/stat), or -1.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return ticks / 100.0;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>A field of /proc/PID/status in KiB (VmHWM, VmRSS), or -1.</summary>
    public static long StatusKiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var digits = new string(line.Where(char.IsDigit).ToArray());
                    return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }
}
