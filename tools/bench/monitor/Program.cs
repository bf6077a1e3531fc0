using Megatest.Bench.Monitor;

// Megatest.Bench.Monitor SECONDS RUNS RATE [RATE...]: prints a markdown table.
return Driver.Run(args);
