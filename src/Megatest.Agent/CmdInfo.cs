using System.Text;
using System.Text.Json;

namespace Megatest.Agent;

/// <summary>
/// What a test process needs to report back (MT_CMDINFO): base64 of a small JSON object. Only this
/// program's own helper commands read it.
/// </summary>
public sealed record CmdInfo
{
    /// <summary>The agent endpoint for in-test commands.</summary>
    public string AgentEndpoint { get; init; } = "";

    /// <summary>runs.id.</summary>
    public long RunId { get; init; }

    /// <summary>tests.id.</summary>
    public long TestId { get; init; }

    /// <summary>Test name.</summary>
    public string TestName { get; init; } = "";

    /// <summary>Item path.</summary>
    public string ItemPath { get; init; } = "";

    /// <summary>Toplevel tests.id of an itemized test (0 when not itemized).</summary>
    public long ToplevelTestId { get; init; }

    /// <summary>The test's work area (link-tree path).</summary>
    public string RunDir { get; init; } = "";

    /// <summary>Test source directory.</summary>
    public string TestPath { get; init; } = "";

    /// <summary>Area top path.</summary>
    public string TopPath { get; init; } = "";

    /// <summary>Target.</summary>
    public string Target { get; init; } = "";

    /// <summary>Run name.</summary>
    public string RunName { get; init; } = "";

    /// <summary>Encodes for the environment.</summary>
    public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this));

    /// <summary>Decodes MT_CMDINFO; null when it is not ours.</summary>
    public static CmdInfo? Decode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CmdInfo>(Encoding.UTF8.GetString(Convert.FromBase64String(text.Trim())));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
