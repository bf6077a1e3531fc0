namespace Megatest.LogPro;

/// <summary>The verdict of one logpro run over a log.</summary>
public sealed class CheckResult
{
    private static readonly string[] s_statusByCode = ["PASS", "FAIL", "WARN", "CHECK", "WAIVE", "ABORT", "SKIP"];

    internal CheckResult(int exitCode, IReadOnlyList<RuleOutcome> rules, IReadOnlyList<string> messages)
    {
        ExitCode = exitCode;
        Status = StatusFor(exitCode);
        Rules = rules;
        Messages = messages;
        Comment = exitCode == 0 ? "PASS" : messages.Count > 0 ? $"{Status}: {messages[0]}" : Status;
    }

    /// <summary>0 PASS, 1 FAIL, 2 WARN, 3 CHECK, 4 WAIVE, 5 ABORT, 6 SKIP.</summary>
    public int ExitCode { get; }

    /// <summary>PASS FAIL WARN CHECK WAIVE ABORT SKIP.</summary>
    public string Status { get; }

    /// <summary>Every trigger and rule, in definition order.</summary>
    public IReadOnlyList<RuleOutcome> Rules { get; }

    /// <summary>One message per failed rule, most severe first (failed ignore/note rules, which never change the status, last).</summary>
    public IReadOnlyList<string> Messages { get; }

    /// <summary>"PASS" or "&lt;Status&gt;: &lt;first message&gt;", the step comment Megatest stores.</summary>
    public string Comment { get; }

    /// <summary>The status word for an exit code.</summary>
    public static string StatusFor(int exitCode) =>
        exitCode >= 0 && exitCode < s_statusByCode.Length ? s_statusByCode[exitCode] : "FAIL";

    /// <summary>The result of a rule file that could not be read (FAIL, the error as the only message).</summary>
    internal static CheckResult ForSyntaxError(LogProSyntaxException ex) => new(1, [], [ex.Message]);
}
