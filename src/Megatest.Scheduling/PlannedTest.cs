using Megatest.Config;
using Megatest.Core;

namespace Megatest.Scheduling;

/// <summary>One test of a run plan, as its testconfig defines it.</summary>
public sealed class PlannedTest
{
    /// <summary>Test name.</summary>
    public required string Name { get; init; }

    /// <summary>The testconfig as read for the run.</summary>
    public required ConfigData Config { get; init; }

    /// <summary>Known prerequisites (unknown names dropped with a warning).</summary>
    public required IReadOnlyList<string> Waitons { get; init; }

    /// <summary>Dependency mode.</summary>
    public WaitMode Mode { get; init; }

    /// <summary>Item path mapping towards prerequisites.</summary>
    public ItemMap ItemMap { get; init; } = ItemMap.Empty;

    /// <summary>Higher runs earlier.</summary>
    public int Priority { get; init; }

    /// <summary>Items: null when not itemized, empty for zero items.</summary>
    public IReadOnlyList<Item>? Items { get; set; }

    /// <summary>Reads the items again (they may come from commands whose output changes); null when not possible.</summary>
    public Func<IReadOnlyList<Item>?>? ReloadItems { get; init; }

    /// <summary>How many more times zero items are read again before the test ends ZERO_ITEMS ([setup] reruns).</summary>
    public int ItemReloadsLeft { get; set; }

    /// <summary>The job group from [test_meta] jobgroup, or null.</summary>
    public string? JobGroup { get; init; }

    /// <summary>Run time limit in seconds (0 none).</summary>
    public int RunTimeLimit { get; init; }

    /// <summary>The items the run's test pattern selects, fixed when the test is expanded.</summary>
    public IReadOnlyList<Item> SelectedItems { get; set; } = [];

    /// <summary>True once the items have been registered.</summary>
    public bool Expanded { get; set; }

    /// <summary>True once nothing more will be decided for this test.</summary>
    public bool Finished { get; set; }

    /// <summary>Whether the test has items (possibly zero).</summary>
    public bool IsItemized => Items is not null;

    /// <summary>The test's position in <see cref="RunPlan.LaunchOrder"/>.</summary>
    internal int LaunchIndex { get; set; }

    /// <summary>Selected items (once expanded) whose row is missing or not settled yet.</summary>
    internal int OpenItems { get; set; }

    /// <summary>Index of each selected item path in <see cref="SelectedItems"/> (once expanded).</summary>
    internal Dictionary<string, int>? SelectedIndex { get; set; }

    /// <summary>The tests of the plan that wait on this one.</summary>
    internal List<PlannedTest> Waiters { get; } = [];

    /// <summary>True when the testconfig has [skip] rules: its ready rows are looked at again in every pass (the rules can change their mind).</summary>
    internal bool HasSkipRules => Config.Section("skip").Count > 0;
}
