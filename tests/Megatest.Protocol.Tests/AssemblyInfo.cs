// The socket tests bind loopback ports and share NetMQ's global context: run nothing in parallel.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
