namespace Megatest.Storage.Tests;

/// <summary>Shortcuts for arranging data in tests.</summary>
internal static class WriteBatchExtensions
{
    public const long Now = 1_700_000_000;

    public static long Run(this WriteBatch batch, string target = "ubuntu/v1", string runName = "run1") =>
        batch.EnsureRun(target.Split('/'), runName, "tester", Now, out _);

    public static TestRow SetState(this WriteBatch batch, TestRow test, string state, string status) =>
        batch.UpdateTest(test.Id, new TestUpdate { State = state, Status = status }, Now)[0];
}
