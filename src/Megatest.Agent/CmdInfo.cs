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

    /// <summary>
    /// The public key (Z85) of the agent's in-test endpoint when it is a CURVE server (an agent running with
    /// <c>[services] security curve</c>); "" when the endpoint is plain. The test's own key pair is in <see cref="KeyVariable"/>.
    /// </summary>
    public string AgentKey { get; init; } = "";

    /// <summary>
    /// The environment variable that holds, in a secured agent's test processes, the secret half (Z85) of the key pair the
    /// agent made for that test. It is never written to a file (megatest.sh leaves it out) and dies with the test.
    /// </summary>
    public const string KeyVariable = "MT_INTEST_KEY";

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
