using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Megatest.Cli.Utilities;

/// <summary>
/// -create-test NAME: asks for the description, waiton, priority, steps and item variables (each skipped when
/// -description, -waiton, -priority, -steps or -items is given) and writes tests/NAME/testconfig in the area
/// found from the current directory. A step without a command gets a script stub tests/NAME/STEP.sh.
/// </summary>
internal static partial class TestCreator
{
    /// <summary>Runs the generator; returns the exit code.</summary>
    public static int Run(CliArgs args, Prompter prompter, TextWriter output, TextWriter errors)
    {
        var name = args.Get("-create-test")!.Trim();
        CheckName(name, "test name");
        var top = FindAreaTop(Directory.GetCurrentDirectory());
        var testDir = Path.Combine(top, "tests", name);
        var testConfig = Path.Combine(testDir, "testconfig");
        RefuseExisting(testConfig);

        var description = prompter.Ask(args.Get("-description"), $"Description of test {name}");
        var waiton = prompter.Ask(args.Get("-waiton"), "Tests it waits on (space separated, empty for none)")
            .Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        foreach (var w in waiton)
        {
            CheckName(w, "waiton test name");
            if (w == name)
            {
                throw new UsageException($"-create-test: test {name} cannot wait on itself");
            }

            if (!File.Exists(Path.Combine(top, "tests", w, "testconfig")))
            {
                errors.WriteLine($"megatest: warning: waiton {w}: there is no {Path.Combine(top, "tests", w, "testconfig")} (yet)");
            }
        }

        var priority = prompter.Ask(args.Get("-priority"), "Priority (a number, higher runs earlier; empty for none)");
        if (priority.Length > 0 && !int.TryParse(priority, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException($"-create-test: priority '{priority}' is not a whole number");
        }

        var steps = args.Get("-steps") is { } stepsText ? ParseSteps(stepsText) : AskSteps(prompter);
        var items = args.Get("-items") is { } itemsText ? ParseItems(itemsText) : AskItems(prompter);

        RefuseExisting(testConfig);
        Directory.CreateDirectory(testDir);
        var stubs = new List<string>();
        foreach (var (step, command) in steps.Where(s => s.Command is null))
        {
            var stub = Path.Combine(testDir, step + ".sh");
            if (!File.Exists(stub))
            {
                AreaCreator.WriteNew(stub, $"#!/usr/bin/env bash\n# Step {step} of test {name}: put its commands here. Exit code 0 means PASS.\necho \"step {step}: nothing to do yet\"\n");
                File.SetUnixFileMode(stub, File.GetUnixFileMode(stub) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                stubs.Add(stub);
            }
        }

        AreaCreator.WriteNew(testConfig, TestConfigText(name, description, waiton, priority, steps, items));
        output.WriteLine($"Created {testConfig}");
        foreach (var stub in stubs)
        {
            output.WriteLine($"Created {stub}");
        }

        if (steps.Count == 0)
        {
            errors.WriteLine($"megatest: warning: test {name} has no steps; add them to [ezsteps] in {testConfig}");
        }

        return 0;
    }

    /// <summary>Throws unless <paramref name="name"/> is letters, digits, '_', '-' and '.', and not '.' or '..'.</summary>
    public static void CheckName(string name, string what)
    {
        if (!NameRegex().IsMatch(name) || name.Contains("..", StringComparison.Ordinal) || name == ".")
        {
            throw new UsageException($"-create-test: bad {what} '{name}': use letters, digits, '_', '-' and '.' only (no '/', no '..')");
        }
    }

    /// <summary>The directory holding megatest.config, searched from <paramref name="start"/> upward.</summary>
    public static string FindAreaTop(string start)
    {
        for (var dir = Path.GetFullPath(start); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "megatest.config")))
            {
                return dir;
            }
        }

        throw new UsageException($"no megatest.config in {start} or above it: run -create-test inside a Megatest area (see -create-megatest-area)");
    }

    private static void RefuseExisting(string testConfig)
    {
        if (File.Exists(testConfig))
        {
            throw new UsageException($"{testConfig} already exists; not overwriting it");
        }
    }

    /// <summary>"s1:cmd;s2:cmd;s3" (a step without ":cmd" gets a script stub; "\;" is a literal ';').</summary>
    private static List<(string Step, string? Command)> ParseSteps(string text)
    {
        var steps = new List<(string, string?)>();
        foreach (var part in SplitUnescaped(text, ';'))
        {
            if (part.Trim().Length == 0)
            {
                continue;
            }

            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var step = (colon < 0 ? part : part[..colon]).Trim();
            var command = colon < 0 ? null : part[(colon + 1)..].Trim();
            AddStep(steps, step, string.IsNullOrEmpty(command) ? null : command);
        }

        return steps;
    }

    private static List<(string Step, string? Command)> AskSteps(Prompter prompter)
    {
        var steps = new List<(string, string?)>();
        while (prompter.AskOptional($"Step {steps.Count + 1} name (empty when done)") is { } step)
        {
            var command = prompter.AskOptional($"Command for step {step} (empty for a script stub {step}.sh)");
            AddStep(steps, step, command);
        }

        return steps;
    }

    private static void AddStep(List<(string Step, string? Command)> steps, string step, string? command)
    {
        CheckName(step, "step name");
        if (steps.Any(s => s.Step == step))
        {
            throw new UsageException($"-create-test: step {step} is given twice");
        }

        if (command is not null && command.Contains('\n', StringComparison.Ordinal))
        {
            throw new UsageException($"-create-test: the command of step {step} must be one line");
        }

        steps.Add((step, command));
    }

    /// <summary>"VAR:a b c;VAR2:x y".</summary>
    private static List<(string Var, string Values)> ParseItems(string text)
    {
        var items = new List<(string, string)>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            AddItem(items, part);
        }

        return items;
    }

    private static List<(string Var, string Values)> AskItems(Prompter prompter)
    {
        var items = new List<(string, string)>();
        while (prompter.AskOptional("Item variable and its values, e.g. SIZE small large (empty when done)") is { } answer)
        {
            AddItem(items, answer);
        }

        return items;
    }

    private static void AddItem(List<(string Var, string Values)> items, string text)
    {
        var split = text.IndexOfAny([':', ' ', '\t']);
        var variable = split < 0 ? text : text[..split];
        var values = split < 0 ? "" : string.Join(' ', text[(split + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        if (!ShellQuoting.IsVariableName(variable) || values.Length == 0)
        {
            throw new UsageException($"-create-test: bad item variable '{text}': write VAR:value1 value2 … (a variable name and at least one value)");
        }

        if (items.Any(i => i.Var == variable))
        {
            throw new UsageException($"-create-test: item variable {variable} is given twice");
        }

        items.Add((variable, values));
    }

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == separator)
            {
                current.Append(separator);
                i++;
            }
            else if (text[i] == separator)
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        yield return current.ToString();
    }

    private static string TestConfigText(string name, string description, List<string> waiton, string priority,
        List<(string Step, string? Command)> steps, List<(string Var, string Values)> items)
    {
        var sb = new StringBuilder();
        sb.Append("# Test ").Append(name).Append(", written by megatest -create-test\n\n");
        sb.Append("# Steps run in order, each as: bash -c \"COMMAND\" > STEP.log\n");
        sb.Append("[ezsteps]\n");
        foreach (var (step, command) in steps)
        {
            sb.Append(step).Append(' ').Append(command ?? $"./{step}.sh").Append('\n');
        }

        if (waiton.Count > 0 || priority.Length > 0)
        {
            sb.Append("\n[requirements]\n");
            if (waiton.Count > 0)
            {
                sb.Append("waiton ").Append(string.Join(' ', waiton)).Append('\n');
            }

            if (priority.Length > 0)
            {
                sb.Append("priority ").Append(priority).Append('\n');
            }
        }

        if (items.Count > 0)
        {
            sb.Append("\n# One run of the test per combination of the values.\n");
            sb.Append("[items]\n");
            foreach (var (variable, values) in items)
            {
                sb.Append(variable).Append(' ').Append(values).Append('\n');
            }
        }

        sb.Append("\n[test_meta]\n");
        sb.Append("author ").Append(Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user : "unknown").Append('\n');
        if (description.Length > 0)
        {
            sb.Append("description ").Append(description).Append('\n');
        }

        sb.Append("# tags tag1,tag2   (select tests with -tagexpr)\n");
        sb.Append("reviewed never\n");
        return sb.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex NameRegex();
}
