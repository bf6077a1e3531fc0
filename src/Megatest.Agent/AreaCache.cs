using Megatest.Config;

namespace Megatest.Agent;

/// <summary>Keeps each area's processed configuration per target, so reading it (which runs shell helpers) happens once.</summary>
public sealed class AreaCache
{
    private readonly Dictionary<(string Area, string Target), AreaConfig> _cache = [];
    private readonly Lock _lock = new();

    /// <summary>The area read for <paramref name="target"/>.</summary>
    public AreaConfig Get(string areaPath, string target)
    {
        lock (_lock)
        {
            if (!_cache.TryGetValue((areaPath, target), out var area))
            {
                var env = EnvironmentScope.FromProcess();
                // Tests see the area as their PWD, as when a user runs megatest from the area top.
                env.Set("PWD", areaPath);
                area = AreaConfig.Load(areaPath, target, env);
                _cache[(areaPath, target)] = area;
            }

            return area;
        }
    }
}
