namespace Megatest.LogPro.Tests;

/// <summary>Helpers to run rule text over log text in tests.</summary>
internal static class Check
{
    public static CheckResult Run(string rules, string log, DateTime? today = null, string? htmlPath = null)
    {
        var set = RuleSet.Parse(rules, "test.logpro");
        return new LogChecker(set, today).Run(new StringReader(log), null, htmlPath);
    }

    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public static RuleOutcome Rule(this CheckResult result, int index) => result.Rules.Single(r => r.Index == index);
}
