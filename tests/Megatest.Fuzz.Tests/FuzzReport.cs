using System.Globalization;
using System.Text;

namespace Megatest.Fuzz.Tests;

/// <summary>The figures of one fuzz run and the failing cases.</summary>
public sealed class FuzzReport
{
    /// <summary>Creates the report.</summary>
    public FuzzReport(FuzzPlan plan, long tried, long accepted, long rejected, long excluded, long crashes, long hangs,
        long contractViolations, TimeSpan slowest, TimeSpan elapsed, IReadOnlyList<FuzzFailure> failures, IReadOnlyDictionary<string, long> exclusions)
    {
        Plan = plan;
        Tried = tried;
        Accepted = accepted;
        Rejected = rejected;
        Excluded = excluded;
        Crashes = crashes;
        Hangs = hangs;
        ContractViolations = contractViolations;
        Slowest = slowest;
        Elapsed = elapsed;
        Failures = failures;
        Exclusions = exclusions;
    }

    /// <summary>The plan that was run.</summary>
    public FuzzPlan Plan { get; }

    /// <summary>Inputs generated and handed to the code under test (or excluded).</summary>
    public long Tried { get; }

    /// <summary>Inputs accepted.</summary>
    public long Accepted { get; }

    /// <summary>Inputs rejected with a clear error.</summary>
    public long Rejected { get; }

    /// <summary>Inputs not run because they hit a known, reported bug.</summary>
    public long Excluded { get; }

    /// <summary>Inputs that made the code under test throw.</summary>
    public long Crashes { get; }

    /// <summary>Inputs that took longer than the plan's limit.</summary>
    public long Hangs { get; }

    /// <summary>Inputs answered, but not as promised.</summary>
    public long ContractViolations { get; }

    /// <summary>The longest time one input took.</summary>
    public TimeSpan Slowest { get; }

    /// <summary>Wall time of the run.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The first failures, in full.</summary>
    public IReadOnlyList<FuzzFailure> Failures { get; }

    /// <summary>Excluded inputs per known bug.</summary>
    public IReadOnlyDictionary<string, long> Exclusions { get; }

    /// <summary>True when nothing crashed, hung or broke a promise.</summary>
    public bool Clean => Crashes == 0 && Hangs == 0 && ContractViolations == 0;

    /// <summary>The figures on one line.</summary>
    public string Figures => string.Create(CultureInfo.InvariantCulture,
        $"{Plan.Name}: {Tried} inputs tried, {Rejected} rejected with error, {Accepted} accepted, {Crashes} crashes, {Hangs} hangs, " +
        $"{ContractViolations} unclear errors, {Excluded} excluded (known bugs); slowest input {Slowest.TotalMilliseconds:0.#} ms; " +
        $"{Elapsed.TotalSeconds:0.0} s on {Plan.Workers} workers; base seed {Plan.BaseSeed}");

    /// <summary>The figures, the exclusions and every kept failure.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Figures);
        foreach (var (bug, count) in Exclusions.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n  excluded {count} input(s): {bug}");
        }

        foreach (var failure in Failures)
        {
            sb.Append('\n').Append(failure);
        }

        return sb.ToString();
    }
}
