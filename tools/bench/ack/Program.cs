using Megatest.Bench.Ack;

// Megatest.Bench.Ack COUNT RUNS: round trips per block, alternating blocks; prints a markdown table.
return Driver.Run(args);
