using System.Diagnostics;

namespace Megatest.Testing;

/// <summary>Waits on a condition with a timeout, never a bare sleep.</summary>
public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until true or throws TimeoutException naming <paramref name="what"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
