using System.Diagnostics;
using System.Globalization;
using System.Text;
using Megatest.Bench.LogPro;
using Megatest.LogPro;

// gen RULES PATTERNS LOG BYTES  -- writes the rule file, the grep -E pattern file and the log
// check RULES LOG               -- runs the checker without annotated output; prints "matched=N seconds=S"
if (args.Length == 5 && args[0] == "gen")
{
    BenchData.WriteRules(args[1], args[2]);
    var lines = BenchData.WriteLog(args[3], long.Parse(args[4], CultureInfo.InvariantCulture));
    Console.WriteLine($"lines={lines}");
    return 0;
}

if (args.Length == 3 && args[0] == "check")
{
    var rules = RuleSet.Load(args[1]);
    var sw = Stopwatch.StartNew();
    using var reader = new StreamReader(args[2], new UTF8Encoding(false), false, 1 << 16);
    var result = new LogChecker(rules).Run(reader, null, null);
    sw.Stop();
    var matched = result.Rules.Sum(r => long.Parse(r.Measured, CultureInfo.InvariantCulture));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"matched={matched} seconds={sw.Elapsed.TotalSeconds:0.000} status={result.Status}"));
    return 0;
}

Console.Error.WriteLine("usage: gen RULES PATTERNS LOG BYTES | check RULES LOG");
return 2;
