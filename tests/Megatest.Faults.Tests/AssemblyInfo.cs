// The scenarios wait on processes, not on threads: let them all run at once so the suite's time is its longest scenario's.
[assembly: CollectionBehavior(MaxParallelThreads = 8)]
