using Megatest.Bench.Ingest;

// Megatest.Bench.Ingest run ROWS SENDERS RUNS WINDOW   (the driver; prints a markdown table)
// Megatest.Bench.Ingest send ENDPOINT FIRSTID COUNT WINDOW   (one sender process, started by the driver)
return args.Length > 0 && args[0] == "send" ? Sender.Run(args) : Driver.Run(args);
