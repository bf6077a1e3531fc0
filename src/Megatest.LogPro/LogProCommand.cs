namespace Megatest.LogPro;

/// <summary>The logpro command line: <c>logpro RULEFILE [HTMLFILE] &lt; input.log &gt; annotated.log</c>.</summary>
public static class LogProCommand
{
    private const string Usage = "usage: logpro RULEFILE [HTMLFILE] < input.log > annotated.log";

    /// <summary>Runs the command; returns the exit code (0 PASS, 1 FAIL, 2 WARN, 3 CHECK, 4 WAIVE, 5 ABORT, 6 SKIP).</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length is 1 && args[0] is "-h" or "--help")
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        if (args.Length is < 1 or > 2)
        {
            stderr.WriteLine(Usage);
            return 1;
        }

        var ruleFile = args[0];
        var htmlPath = args.Length > 1 ? args[1] : null;
        RuleSet rules;
        try
        {
            rules = RuleSet.Load(ruleFile);
        }
        catch (LogProSyntaxException ex)
        {
            stderr.WriteLine("logpro: " + ex.Message);
            FailWithoutRules(ex, stdin, stdout, htmlPath, stderr);
            return 1;
        }

        try
        {
            var result = new LogChecker(rules).Run(stdin, stdout, htmlPath);
            stdout.Flush();
            return result.ExitCode;
        }
        catch (IOException ex)
        {
            stderr.WriteLine("logpro: " + ex.Message);
            return 1;
        }
        catch (UnauthorizedAccessException ex)
        {
            stderr.WriteLine("logpro: " + ex.Message);
            return 1;
        }
    }

    /// <summary>With unusable rules the log is still echoed and the reports say FAIL with the reason.</summary>
    private static void FailWithoutRules(LogProSyntaxException ex, TextReader stdin, TextWriter stdout, string? htmlPath, TextWriter stderr)
    {
        try
        {
            var buffer = new char[1 << 16];
            int n;
            while ((n = stdin.Read(buffer, 0, buffer.Length)) > 0)
            {
                stdout.Write(buffer, 0, n);
            }

            stdout.WriteLine("logpro: FAIL (exit code 1)");
            stdout.WriteLine("logpro:   " + ex.Message);
            stdout.Flush();
            if (htmlPath is not null)
            {
                var result = CheckResult.ForSyntaxError(ex);
                HtmlReport.WriteSyntaxError(htmlPath, Path.GetFileName(ex.FileName), ex.Message);
                DatFile.Write(DatFile.PathFor(htmlPath), result.ExitCode, result.Status, [], result.Messages);
            }
        }
        catch (IOException io)
        {
            stderr.WriteLine("logpro: " + io.Message);
        }
    }
}
