using Megatest.Bench.Common;
using Megatest.DbWriter;
using Megatest.Scheduling;

namespace Megatest.Bench.Scale;

/// <summary>Hosts one real role in its own process, so its peak memory can be read from /proc; runs until stdin closes.</summary>
public static class RoleHost
{
    /// <summary>Runs the role.</summary>
    public static int Run(string[] args)
    {
        IDisposable role;
        if (args[0] == "dbwriter")
        {
            var writer = new DbWriterService(new DbWriterOptions { DatabasePath = args[1], Keys = BenchDb.Keys });
            writer.Start();
            Console.WriteLine($"{writer.Endpoint} {writer.PublishEndpoint}");
            role = writer;
        }
        else
        {
            var coordinator = new CoordinatorService(new CoordinatorOptions { AreaPath = args[1], DbWriterEndpoint = args[2], DbWriterPublishEndpoint = args[3] });
            coordinator.Start();
            Console.WriteLine(coordinator.Endpoint);
            role = coordinator;
        }

        Console.Out.Flush();
        Console.In.ReadToEnd();
        role.Dispose();
        return 0;
    }
}
