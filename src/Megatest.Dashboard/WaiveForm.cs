namespace Megatest.Dashboard;

/// <summary>A waiver posted by the browser.</summary>
internal sealed class WaiveForm
{
    /// <summary>tests.id of the test or item.</summary>
    public long TestId { get; set; }

    /// <summary>Why (required; checked against [setup] waivercommentpatt).</summary>
    public string? Comment { get; set; }
}
