namespace Megatest.Core;

/// <summary>
/// Names that become directories under the link tree and the run disks must stay inside them: a test name is one
/// path segment, an item path is relative segments, and neither may hold "..", ".", a NUL or a leading '/'.
/// </summary>
public static class PathSafety
{
    /// <summary>Why <paramref name="testName"/> cannot name a test directory, or null when it can.</summary>
    public static string? TestNameProblem(string? testName)
    {
        if (string.IsNullOrEmpty(testName))
        {
            return "a test name is empty";
        }

        return testName.Contains('/', StringComparison.Ordinal) || testName is "." or ".." || testName.Contains('\0', StringComparison.Ordinal)
            ? $"test name '{testName}' is not a single directory name"
            : null;
    }

    /// <summary>Why <paramref name="itemPath"/> would leave the test's directory, or null when it stays inside.</summary>
    public static string? ItemPathProblem(string? itemPath)
    {
        if (string.IsNullOrEmpty(itemPath))
        {
            return null;
        }

        if (itemPath.StartsWith('/') || itemPath.Contains('\0', StringComparison.Ordinal))
        {
            return $"item path '{itemPath}' must be relative";
        }

        return itemPath.Split('/').Any(s => s is "" or "." or "..")
            ? $"item path '{itemPath}' has an empty, '.' or '..' part"
            : null;
    }
}
