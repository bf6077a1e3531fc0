// The tests host real roles, a web server and a browser each; run them one at a time so timings stay honest on small CI machines.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
