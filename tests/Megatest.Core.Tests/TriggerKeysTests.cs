using Megatest.Core;

namespace Megatest.Core.Tests;

public class TriggerKeysTests
{
    [Fact]
    public void AllThreeForms() =>
        Assert.Equal(["COMPLETED/PASS", "COMPLETED/", "/PASS"], TriggerKeys.For("COMPLETED", "PASS"));

    [Fact]
    public void ManualPassSlashFormDoesNotFire() =>
        Assert.DoesNotContain("PASS/", TriggerKeys.For("COMPLETED", "PASS"));

    [Fact]
    public void StatusWithSlashIsKeptWhole() =>
        Assert.Equal(["COMPLETED/STUCK/DEAD", "COMPLETED/", "/STUCK/DEAD"], TriggerKeys.For("COMPLETED", "STUCK/DEAD"));
}
