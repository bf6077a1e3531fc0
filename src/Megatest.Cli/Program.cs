using Megatest.Cli;

return CommandLine.Run(args, LazyConsoleWriter.Out, LazyConsoleWriter.Error);
