namespace Megatest.Storage;

/// <summary>Per-test-name metadata (<c>test_meta</c>); null fields keep the stored value.</summary>
/// <param name="TestName">The test name (unique).</param>
/// <param name="Author">Author.</param>
/// <param name="Owner">Owner.</param>
/// <param name="Description">Description.</param>
/// <param name="Reviewed">Review date/marker.</param>
/// <param name="Tags">Comma-separated tags (used by <c>-tagexpr</c>).</param>
/// <param name="JobGroup">Job group (default <c>default</c>).</param>
public sealed record TestMeta(string TestName, string? Author, string? Owner, string? Description, string? Reviewed, string? Tags, string? JobGroup);
