using Megatest.Core;

namespace Megatest.Monitor;

/// <summary>What a monitor wants to see: runs whose target and run name match, tests that match the test pattern.</summary>
public sealed class MonitorFilter
{
    private readonly NamePattern? _target;
    private readonly NamePattern? _runName;
    private readonly TestPattern _tests;

    /// <summary>Creates a filter; empty or "%" patterns match everything.</summary>
    public MonitorFilter(string? target = null, string? runName = null, string? testPatt = null)
    {
        Target = string.IsNullOrEmpty(target) ? "%" : target;
        RunName = string.IsNullOrEmpty(runName) ? "%" : runName;
        TestPatt = string.IsNullOrEmpty(testPatt) ? "%" : testPatt;
        _target = Target == "%" ? null : NamePattern.Parse(Target);
        _runName = RunName == "%" ? null : NamePattern.Parse(RunName);
        _tests = TestPattern.Parse(TestPatt);
    }

    /// <summary>Everything.</summary>
    public static MonitorFilter All { get; } = new();

    /// <summary>Target pattern (key values joined by /, % wildcards).</summary>
    public string Target { get; }

    /// <summary>Run name pattern.</summary>
    public string RunName { get; }

    /// <summary>Test pattern in the -testpatt language.</summary>
    public string TestPatt { get; }

    /// <summary>Whether a run is wanted.</summary>
    public bool MatchesRun(string target, string runName) =>
        (_target is null || _target.IsMatch(target)) && (_runName is null || _runName.IsMatch(runName));

    /// <summary>Whether a test row is wanted.</summary>
    public bool MatchesTest(string testName, string itemPath) => _tests.Matches(testName, itemPath);
}
