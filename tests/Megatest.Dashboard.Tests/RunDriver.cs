using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ.Sockets;

namespace Megatest.Dashboard.Tests;

/// <summary>Drops a RunRequest to the coordinator on its own thread and reports its ControlAck and, later, its RunEnded.</summary>
public sealed class RunDriver
{
    private readonly TaskCompletionSource<ControlAck> _ack = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<RunEnded> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunDriver()
    {
    }

    /// <summary>The coordinator's answer.</summary>
    public Task<ControlAck> Ack => _ack.Task;

    /// <summary>Completes when the coordinator says the run ended.</summary>
    public Task<RunEnded> Ended => _ended.Task;

    /// <summary>Sends <paramref name="request"/> to <paramref name="endpoint"/>.</summary>
    public static RunDriver Start(string endpoint, RunRequest request)
    {
        var driver = new RunDriver();
        var thread = new Thread(() => driver.Follow(endpoint, request)) { IsBackground = true, Name = "run-driver" };
        thread.Start();
        return driver;
    }

    private void Follow(string endpoint, RunRequest request)
    {
        try
        {
            using var socket = Endpoints.Configure(new DealerSocket());
            socket.Connect(endpoint);
            var sent = socket.SendPacket(new PacketStamp("test-run-driver"), request);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (DateTime.UtcNow < deadline && !_ended.Task.IsCompleted)
            {
                if (!socket.TryReceivePacket(false, TimeSpan.FromMilliseconds(200), out var received, out _) || received is null || received.Header.CorrelationId != sent.MessageId)
                {
                    continue;
                }

                switch (received.Packet)
                {
                    case ControlAck ack:
                        _ack.TrySetResult(ack);
                        if (!ack.Accepted)
                        {
                            _ended.TrySetException(new InvalidOperationException("run refused: " + ack.Reason));
                        }

                        break;
                    case RunEnded ended:
                        _ended.TrySetResult(ended);
                        break;
                }
            }

            _ack.TrySetException(new TimeoutException("no ControlAck from the coordinator"));
            _ended.TrySetException(new TimeoutException("the run did not end within 3 minutes"));
        }
        catch (Exception ex)
        {
            _ack.TrySetException(ex);
            _ended.TrySetException(ex);
        }
    }
}
