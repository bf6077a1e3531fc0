using Megatest.Testing;

namespace Megatest.LogPro.Tests;

public class CorpusTests
{
    /// <summary>Logs that must give the stated exit code, per (area, step or file name).</summary>
    private static readonly Dictionary<string, (string Log, int Code)[]> s_cases = new()
    {
        ["simplerun/*.logpro"] =
        [
            ("test1 step1 done in /x\n", 0),
            ("", 0),
            ("// this comment mentions an error\nall good\n", 0),
            ("compile\nERROR: bad thing\n", 1),
            ("an error occurred\n", 1),
            ("warn: low disk\n", 2),
            ("warn: low disk\nERROR too\n", 1),
        ],
        ["delay"] =
        [
            ("Delayed 0 seconds\n", 0),
            ("Delayed 12 seconds\n", 0),
            ("", 1),
            ("Delayed some seconds\n", 1),
        ],
    };

    public static TheoryData<string> RuleTexts()
    {
        var data = new TheoryData<string>();
        foreach (var f in Corpus.Find())
        {
            data.Add(f.Name);
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_the_expected_rule_texts()
    {
        var all = Corpus.Find();
        Assert.Equal(4, all.Count(f => f.Key.Length == 0));
        var sections = all.Where(f => f.Key.Length > 0).ToList();
        Assert.Contains(sections, f => f.Area == "dep-tests" && f.Key == "delay");
        Assert.Contains(sections, f => f.Area == "dynamic-waiton-example" && f.Key == "delay");
        var delay = sections.First(f => f.Key == "delay");
        Assert.StartsWith(";; Delay step logpro\n", delay.Text);
        Assert.Contains("(expect:required", delay.Text);
        Assert.Contains("delay", delay.StepNames);
    }

    [Theory]
    [MemberData(nameof(RuleTexts))]
    public void Every_corpus_rule_text_is_handled(string name)
    {
        var file = Corpus.Find().Single(f => f.Name == name);
        if (file.Key.Length > 0 && !file.StepNames.Contains(file.Key))
        {
            // Not a step's rules (e.g. "reviewed 09/10/2011, by Matt"): Megatest never hands it to logpro.
            // Our reader must still reject it cleanly with FILE:LINE rather than crash.
            var ex = Assert.Throws<LogProSyntaxException>(() => RuleSet.Parse(file.Text, file.Name));
            Assert.StartsWith(file.Name + ":", ex.Message);
            return;
        }

        var rules = RuleSet.Parse(file.Text, file.Name);
        var key = file.Key.Length > 0 ? file.Key : file.Area + "/*.logpro";
        Assert.True(s_cases.ContainsKey(key), $"no test logs for {file.Name}");
        using var dir = new TempDir("lpcorpus");
        foreach (var (log, code) in s_cases[key])
        {
            var html = Path.Combine(dir.Path, "step.html");
            var result = new LogChecker(rules).Run(new StringReader(log), TextWriter.Null, html);
            Assert.True(code == result.ExitCode, $"{file.Name}: log {log.ReplaceLineEndings("\\n")} gave {result.ExitCode} ({result.Comment}), expected {code}");
            Assert.Contains($"exit-code {code}\n", File.ReadAllText(Path.Combine(dir.Path, "step.dat")));
        }
    }

    [Fact]
    public void Corpus_rule_files_through_the_command_line()
    {
        var file = Path.Combine(TestPaths.SharedAreas, "simplerun", "tests", "test1", "step1.logpro");
        using var dir = new TempDir("lpcorpus");
        var html = Path.Combine(dir.Path, "step1.html");
        var stdout = new StringWriter();
        Assert.Equal(0, LogProCommand.Run([file, html], new StringReader("test1 step1 done in /x\n"), stdout, TextWriter.Null));
        Assert.Equal(1, LogProCommand.Run([file, html], new StringReader("ERROR\n"), stdout, TextWriter.Null));
        Assert.Equal(2, LogProCommand.Run([file, html], new StringReader("warn\n"), stdout, TextWriter.Null));
    }

    [Fact]
    public void Testconfig_extraction_reads_multi_line_values()
    {
        string[] lines =
        [
            "[ezsteps]",
            "build make all",
            "[logpro]",
            "build ;; first",
            "  (expect:required in \"LogFileBody\" > 0 \"ok\" #/ok/)",
            "\t(expect:error in \"LogFileBody\" = 0 \"e\" #/E/)",
            "other x",
            "[next]",
            "build not-rules",
        ];
        var found = Corpus.FromTestconfig("a", "a/testconfig", lines).ToList();
        Assert.Equal(["build", "other"], found.Select(f => f.Key));
        Assert.Equal(";; first\n  (expect:required in \"LogFileBody\" > 0 \"ok\" #/ok/)\n\t(expect:error in \"LogFileBody\" = 0 \"e\" #/E/)\n", found[0].Text);
        Assert.Equal(["build"], found[0].StepNames);
        var rules = RuleSet.Parse(found[0].Text, "t");
        Assert.Equal(1, new LogChecker(rules).Run(new StringReader("ok\nE\n"), null, null).ExitCode);
    }
}
