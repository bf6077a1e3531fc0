namespace Megatest.Dashboard;

/// <summary>A control posted by the browser: what to do to which tests of which run.</summary>
internal sealed class ControlForm
{
    /// <summary>rerun, kill, clean or archive.</summary>
    public string Action { get; set; } = "";

    /// <summary>Target (or target pattern for kill, clean, archive).</summary>
    public string Target { get; set; } = "";

    /// <summary>Run name (or pattern).</summary>
    public string RunName { get; set; } = "";

    /// <summary>Test pattern: test, test/item, an item pattern or % for the whole run.</summary>
    public string TestPatt { get; set; } = "";

    /// <summary>Rerun only tests with these statuses (-rerun); empty: -force.</summary>
    public string[]? RerunStatuses { get; set; }

    /// <summary>Archive mode (save, save-remove, keep-html, restore).</summary>
    public string Mode { get; set; } = "";
}
