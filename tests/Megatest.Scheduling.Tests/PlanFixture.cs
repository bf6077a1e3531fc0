using Megatest.Config;
using Megatest.Protocol;
using Megatest.Testing;

namespace Megatest.Scheduling.Tests;

/// <summary>Builds a small area on disk, plans a run of it and plays committed rows into the plan.</summary>
internal sealed class PlanFixture : IDisposable
{
    private readonly TempDir _tmp = new("plan");
    private long _nextId = 1;

    public PlanFixture(string megatestExtra = "")
    {
        File.WriteAllText(Path.Combine(_tmp.Path, "megatest.config"), "[fields]\nX TEXT\n" + megatestExtra);
        File.WriteAllText(Path.Combine(_tmp.Path, "runconfigs.config"), "[default]\n");
    }

    public PlanFixture Test(string name, string testconfig)
    {
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "tests", name));
        File.WriteAllText(Path.Combine(_tmp.Path, "tests", name, "testconfig"), testconfig);
        return this;
    }

    public RunPlan Plan(string testPatt = "%")
    {
        var area = AreaConfig.Load(_tmp.Path, "v1", EnvironmentScope.Empty());
        var plan = RunPlanner.Plan(area, new RunRequest { Target = "v1", RunName = "r1", TestPatt = testPatt });
        plan.RunId = 1;
        foreach (var t in plan.Order)
        {
            Row(plan, t.Name, "", "NOT_STARTED", "n/a");
        }

        plan.Ready = true;
        return plan;
    }

    /// <summary>Applies a committed row (creating it with a fresh id when new).</summary>
    public RowState Row(RunPlan plan, string test, string item, string state, string status)
    {
        var id = plan.Row(test, item)?.Id ?? _nextId++;
        return plan.Apply(new TestRowInfo { Id = id, RunId = 1, TestName = test, ItemPath = item, State = state, Status = status });
    }

    /// <summary>Decides with unlimited capacity.</summary>
    public static List<Decision> Decide(RunPlan plan) => Scheduler.Decide(plan, _ => true);

    public void Dispose() => _tmp.Dispose();
}
