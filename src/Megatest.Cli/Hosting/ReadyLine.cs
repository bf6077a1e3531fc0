namespace Megatest.Cli.Hosting;

/// <summary>The line a daemon prints on standard output once it is bound, so scripts and tests can wait for it.</summary>
public static class ReadyLine
{
    private static readonly Lock s_lock = new();

    /// <summary>Prints "ready: ROLE DETAILS" and flushes.</summary>
    public static void Print(string role, string details)
    {
        lock (s_lock)
        {
            Console.Out.WriteLine($"ready: {role} {details}");
            Console.Out.Flush();
        }
    }
}
