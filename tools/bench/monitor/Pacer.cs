using System.Diagnostics;

namespace Megatest.Bench.Monitor;

/// <summary>Paces a sender at a fixed rate: message i is due at start + i / rate.</summary>
public static class Pacer
{
    /// <summary>Waits (sleeping when far ahead, spinning when close) until message <paramref name="index"/> is due.</summary>
    public static void WaitTurn(long start, long index, int rate)
    {
        var due = start + (long)(index * (double)Stopwatch.Frequency / rate);
        while (true)
        {
            var ahead = due - Stopwatch.GetTimestamp();
            if (ahead <= 0)
            {
                return;
            }

            if (ahead > Stopwatch.Frequency / 500)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }
}
