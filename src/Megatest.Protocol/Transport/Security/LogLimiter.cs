using Microsoft.Extensions.Logging;

namespace Megatest.Protocol.Transport.Security;

/// <summary>Writes at most <c>perWindow</c> lines every window, then one line counting what it left out.</summary>
public sealed class LogLimiter(TimeSpan window, int perWindow)
{
    private long _windowStart = Environment.TickCount64;
    private int _written;
    private int _suppressed;

    /// <summary>Logs <paramref name="message"/> at <paramref name="level"/> unless this window's lines are spent.</summary>
    public void Log(ILogger logger, LogLevel level, string message)
    {
        var now = Environment.TickCount64;
        if (now - _windowStart >= (long)window.TotalMilliseconds)
        {
            if (_suppressed > 0)
            {
#pragma warning disable CA2254 // the message is built by the caller
                logger.Log(level, $"... and {_suppressed} more like it in the last {window.TotalSeconds:0} s");
#pragma warning restore CA2254
            }

            _windowStart = now;
            _written = 0;
            _suppressed = 0;
        }

        if (_written < perWindow)
        {
            _written++;
#pragma warning disable CA2254
            logger.Log(level, message);
#pragma warning restore CA2254
        }
        else
        {
            _suppressed++;
        }
    }
}
