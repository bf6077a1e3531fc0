using System.Globalization;
using Megatest.Testing;

namespace Megatest.Faults.Tests;

/// <summary>
/// The suite's figures, added up over every scenario: faults injected, runs checked, results lost and duplicates.
/// After each scenario the summary is written to faults-summary.txt ($MEGATEST_ARTIFACTS, else the project's bin
/// folder) with the seed that replays the suite (MEGATEST_FAULT_SEED).
/// </summary>
public static class FaultLedger
{
    private static readonly Lock s_lock = new();
    private static readonly SortedSet<string> s_runLines = new(StringComparer.Ordinal);
    private static readonly SortedDictionary<string, int> s_kinds = new(StringComparer.Ordinal);
    private static int s_faults;
    private static int s_runs;
    private static int s_lost;
    private static int s_duplicates;
    private static int s_reruns;

    /// <summary>The seed of every scenario's randomness: MEGATEST_FAULT_SEED, else a fresh one (printed with the figures).</summary>
    public static int Seed { get; } = Environment.GetEnvironmentVariable("MEGATEST_FAULT_SEED") is { Length: > 0 } s
        ? int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)
        : Random.Shared.Next(1, int.MaxValue);

    /// <summary>Where the summary is written.</summary>
    public static string SummaryPath =>
        Path.Combine(Environment.GetEnvironmentVariable("MEGATEST_ARTIFACTS") is { Length: > 0 } a ? a : Path.Combine(TestPaths.RepoRoot, "tests", "Megatest.Faults.Tests", "bin"), "faults-summary.txt");

    /// <summary>The randomness of one scenario: the same for the same seed, different between scenarios.</summary>
    public static Random RandomFor(string scenario) => new(Seed ^ scenario.Aggregate(17, (h, c) => unchecked((h * 31) + c)));

    /// <summary>The one-line summary.</summary>
    public static string Summary
    {
        get
        {
            lock (s_lock)
            {
                return $"faults injected {s_faults}, runs checked {s_runs}, results lost {s_lost}, duplicates {s_duplicates}";
            }
        }
    }

    /// <summary>Adds one checked run of <paramref name="scenario"/>, rewrites the summary file and returns the summary line.</summary>
    public static string Record(string scenario, string runName, IReadOnlyDictionary<string, int> faults, Comparison comparison, int reruns)
    {
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(comparison);
        lock (s_lock)
        {
            s_runs++;
            s_lost += comparison.Lost.Count;
            s_duplicates += comparison.Duplicates.Count;
            s_reruns += reruns;
            foreach (var (kind, n) in faults)
            {
                s_faults += n;
                s_kinds[kind] = s_kinds.GetValueOrDefault(kind) + n;
            }

            s_runLines.Add($"  {scenario} {runName}: faults " + string.Join(", ", faults.Select(kv => $"{kv.Key} {kv.Value}")) + $"; reruns {reruns}; {comparison}");
            var text = new List<string>
            {
                Summary,
                $"seed {Seed} (replay: MEGATEST_FAULT_SEED={Seed} dotnet test tests/Megatest.Faults.Tests)",
                "faults by kind: " + string.Join(", ", s_kinds.Select(kv => $"{kv.Key} {kv.Value}")),
                $"reruns after system failures (attempt-K steps, not counted as duplicates): {s_reruns}",
                "runs:",
            };
            text.AddRange(s_runLines);
            Directory.CreateDirectory(Path.GetDirectoryName(SummaryPath)!);
            File.WriteAllText(SummaryPath, string.Join('\n', text) + "\n");
            return Summary;
        }
    }
}
