namespace Megatest.Protocol.Transport;

/// <summary>How every role (db writer, coordinator, agent) runs as a long-lived service: start, wait for cancellation, stop.</summary>
public static class RoleRunner
{
    /// <summary>Calls <paramref name="start"/>, waits until <paramref name="token"/> is cancelled, then calls <paramref name="stop"/>.</summary>
    public static async Task RunUntilCancelledAsync(Action start, Action stop, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(stop);
        start();
        try
        {
            await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the normal way to stop
        }
        finally
        {
            stop();
        }
    }
}
