using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Megatest.Fuzz.Tests;

/// <summary>
/// Runs a seeded fuzz plan on worker threads under a watchdog. Each case is generated from its own seed,
/// checked, and timed; an exception escaping the check is a crash, a <see cref="FuzzContractException"/> an
/// unclear answer, and a case running past the limit a hang (the watchdog notices it even if it never returns).
/// </summary>
public static class FuzzRunner
{
    /// <summary>Runs the plan and returns its figures; it never throws for a failing case.</summary>
    public static FuzzReport Run<TInput>(
        FuzzPlan plan,
        Func<int, TInput> generate,
        Func<TInput, FuzzOutcome> check,
        Func<TInput, string> describe,
        Func<TInput, string?>? knownBug = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(generate);
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(describe);
        var state = new State(plan);
        var slots = Enumerable.Range(0, plan.Workers).Select(_ => new FuzzWorkerSlot()).ToArray();
        var done = new CountdownEvent(plan.Workers); // disposed only when every worker has finished (a hung one may signal later)
        var total = Stopwatch.StartNew();
        for (var w = 0; w < plan.Workers; w++)
        {
            var worker = w;
            var thread = new Thread(() =>
            {
                try
                {
                    Work(plan, worker, slots[worker], state, generate, check, describe, knownBug);
                }
                finally
                {
                    done.Signal();
                }
            })
            {
                IsBackground = true, // a hung case must not keep the test host alive
                Name = $"fuzz {plan.Name} #{worker}",
            };
            thread.Start();
        }

        var hungSlots = new HashSet<int>();
        while (!done.Wait(TimeSpan.FromMilliseconds(50)))
        {
            for (var w = 0; w < slots.Length; w++)
            {
                if (slots[w].Current() is { } current && current.Running > plan.PerInputLimit && slots[w].TryFlag() && hungSlots.Add(w))
                {
                    state.Hang(current.Index, current.CaseSeed, SafeDescribe(generate, describe, current.CaseSeed),
                        $"still running after {current.Running.TotalSeconds:0.0} s (limit {plan.PerInputLimit.TotalSeconds:0.#} s); watchdog gave up on it");
                    state.Stop = true;
                }
            }

            if (hungSlots.Count > 0 && done.CurrentCount <= hungSlots.Count)
            {
                break; // only the hung workers are left; they stay behind as background threads
            }
        }

        if (done.IsSet)
        {
            done.Dispose();
        }

        return state.ToReport(total.Elapsed);
    }

    private static void Work<TInput>(FuzzPlan plan, int worker, FuzzWorkerSlot slot, State state,
        Func<int, TInput> generate, Func<TInput, FuzzOutcome> check, Func<TInput, string> describe, Func<TInput, string?>? knownBug)
    {
        for (var index = worker; index < plan.Count && !state.Stop; index += plan.Workers)
        {
            var caseSeed = FuzzSeed.For(plan.BaseSeed, index);
            TInput input;
            try
            {
                input = generate(caseSeed);
            }
            catch (Exception ex)
            {
                state.Crash(index, caseSeed, "(generator failed)", "the fuzz generator itself failed: " + ex);
                continue;
            }

            Interlocked.Increment(ref state.Tried);
            if (knownBug?.Invoke(input) is { } bug)
            {
                state.Exclude(bug);
                continue;
            }

            slot.Begin(index, caseSeed);
            FuzzOutcome outcome;
            try
            {
                outcome = check(input);
            }
            catch (FuzzKnownBugException ex)
            {
                slot.End();
                state.Exclude(ex.Bug);
                continue;
            }
            catch (FuzzContractException ex)
            {
                slot.End();
                state.Contract(index, caseSeed, describe(input), ex.Message);
                continue;
            }
            catch (Exception ex)
            {
                slot.End();
                state.Crash(index, caseSeed, describe(input), ex.ToString());
                continue;
            }

            var elapsed = slot.End();
            state.Observe(elapsed);
            if (elapsed > plan.PerInputLimit)
            {
                if (slot.Flagged)
                {
                    continue; // the watchdog has already reported it
                }


                state.Hang(index, caseSeed, describe(input),
                    string.Create(CultureInfo.InvariantCulture, $"took {elapsed.TotalSeconds:0.00} s (limit {plan.PerInputLimit.TotalSeconds:0.#} s)"));
                continue;
            }

            if (outcome == FuzzOutcome.Accepted)
            {
                Interlocked.Increment(ref state.Accepted);
            }
            else if (outcome == FuzzOutcome.Rejected)
            {
                Interlocked.Increment(ref state.Rejected);
            }
            else
            {
                state.Exclude("excluded by the check");
            }
        }
    }

    private static string SafeDescribe<TInput>(Func<int, TInput> generate, Func<TInput, string> describe, int caseSeed)
    {
        try
        {
            return describe(generate(caseSeed));
        }
        catch (Exception ex)
        {
            return "(could not regenerate: " + ex.Message + ")";
        }
    }

    private sealed class State(FuzzPlan plan)
    {
        public long Tried;
        public long Accepted;
        public long Rejected;
        private long _excluded;
        private long _crashes;
        private long _hangs;
        private long _contract;
        private long _slowestTicks;
        private readonly ConcurrentQueue<FuzzFailure> _failures = new();
        private readonly ConcurrentDictionary<string, long> _exclusions = new(StringComparer.Ordinal);
        private volatile bool _stop;

        public bool Stop
        {
            get => _stop;
            set => _stop = value;
        }

        public void Observe(TimeSpan elapsed)
        {
            var ticks = elapsed.Ticks;
            var seen = Interlocked.Read(ref _slowestTicks);
            while (ticks > seen)
            {
                var previous = Interlocked.CompareExchange(ref _slowestTicks, ticks, seen);
                if (previous == seen)
                {
                    break;
                }

                seen = previous;
            }
        }

        public void Exclude(string bug)
        {
            Interlocked.Increment(ref _excluded);
            _exclusions.AddOrUpdate(bug, 1, (_, n) => n + 1);
        }

        public void Crash(int index, int seed, string input, string detail)
        {
            Interlocked.Increment(ref _crashes);
            Keep(new FuzzFailure("crash", index, seed, input, detail));
        }

        public void Hang(int index, int seed, string input, string detail)
        {
            Interlocked.Increment(ref _hangs);
            Keep(new FuzzFailure("hang", index, seed, input, detail));
        }

        public void Contract(int index, int seed, string input, string detail)
        {
            Interlocked.Increment(ref _contract);
            Keep(new FuzzFailure("unclear error", index, seed, input, detail));
        }

        private void Keep(FuzzFailure failure)
        {
            if (_failures.Count < plan.MaxFailureDetails)
            {
                _failures.Enqueue(failure);
            }
        }

        public FuzzReport ToReport(TimeSpan elapsed) =>
            new(plan, Interlocked.Read(ref Tried), Interlocked.Read(ref Accepted), Interlocked.Read(ref Rejected),
                Interlocked.Read(ref _excluded), Interlocked.Read(ref _crashes), Interlocked.Read(ref _hangs),
                Interlocked.Read(ref _contract), TimeSpan.FromTicks(Interlocked.Read(ref _slowestTicks)), elapsed,
                _failures.OrderBy(f => f.Index).ToList(), new Dictionary<string, long>(_exclusions, StringComparer.Ordinal));
    }
}
