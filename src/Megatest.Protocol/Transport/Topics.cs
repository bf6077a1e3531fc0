using System.Text;

namespace Megatest.Protocol.Transport;

/// <summary>Topic strings of the db writer's publications; subscribers filter on their prefixes.</summary>
public static class Topics
{
    /// <summary>Every change of a run: "run/RUNID/".</summary>
    public static string Run(long runId) => $"run/{runId}/";

    /// <summary>A test row change: "run/RUNID/test/TESTNAME".</summary>
    public static string Test(long runId, string testName) => $"run/{runId}/test/{testName}";

    /// <summary>A probe answer: "probe/TOKEN".</summary>
    public static string Probe(string token) => "probe/" + token;

    /// <summary>The topic as a frame.</summary>
    public static byte[] Bytes(string topic) => Encoding.UTF8.GetBytes(topic);
}
