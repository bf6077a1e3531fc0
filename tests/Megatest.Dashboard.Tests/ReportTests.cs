using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Megatest.Testing;

namespace Megatest.Dashboard.Tests;

/// <summary>JUnit XML and the static HTML tree of a corpus area that ran for real.</summary>
public sealed class ReportTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromMinutes(2);

    private static XmlSchemaSet JenkinsSchema()
    {
        var set = new XmlSchemaSet();
        set.Add(null, Path.Combine(AppContext.BaseDirectory, "Schemas", "jenkins-junit.xsd"));
        set.Compile();
        return set;
    }

    private static List<string> Validate(string file)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = JenkinsSchema() };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(file, settings);
        while (reader.Read())
        {
        }

        return errors;
    }

    [Fact]
    public async Task JUnit_OfTheMintestCorpusArea_ValidatesAgainstTheJenkinsSchema_AndCarriesStepsAndStatuses()
    {
        await using var area = await LiveArea.StartAsync(Path.Combine(TestPaths.SharedAreas, "mintest"));
        var run = area.Run("v1.0", "r1");
        Assert.True((await run.Ack.WaitAsync(s_wait)).Accepted);
        await run.Ended.WaitAsync(s_wait);

        var file = Artifacts.File("mintest-junit.xml");
        var cases = ReportWriter.WriteJUnit(area.DatabasePath, "v1.0", "r1", file);
        Assert.Empty(Validate(file));

        var doc = XDocument.Load(file);
        Assert.Equal(cases, doc.Descendants("testcase").Count());
        Assert.Equal(17, cases);
        var byName = doc.Descendants("testcase").ToDictionary(c => (string)c.Attribute("name")!);
        var failure = byName["d1fail"].Element("failure");
        Assert.NotNull(failure);
        Assert.Equal("FAIL", (string?)failure.Attribute("type"));
        Assert.Contains("step2", (string?)failure.Attribute("message") ?? "", StringComparison.Ordinal);
        Assert.Contains("=== step step1", byName["d1fail"].Element("system-out")!.Value, StringComparison.Ordinal);
        Assert.NotNull(byName["g"].Element("skipped"));
        Assert.Contains("ZERO_ITEMS", (string?)byName["g"].Element("skipped")!.Attribute("message") ?? "", StringComparison.Ordinal);
        Assert.Null(byName["a"].Element("failure"));
        Assert.Contains("SUCCESS", byName["a"].Element("system-out")!.Value, StringComparison.Ordinal);
        Assert.Equal("1", (string?)doc.Root!.Attribute("failures"));

        var pages = ReportWriter.GenerateHtml(area.DatabasePath, Path.Combine(area.Path, "linktree"));
        var page0 = File.ReadAllText(Assert.Single(pages, p => p.EndsWith("page0.html", StringComparison.Ordinal)));
        Assert.Contains("class=\"c-fail\"", page0, StringComparison.Ordinal);
        Assert.Contains("d1fail", page0, StringComparison.Ordinal);
        File.Copy(Path.Combine(area.Path, "linktree", "page0.html"), Artifacts.File("mintest-page0.html"), overwrite: true);
    }

    [Fact]
    public async Task JUnit_ItemsAreTestCases_TestDataAreProperties()
    {
        await using var area = await LiveArea.StartAsync(Artifacts.LiveAreaSource);
        var run = area.Run("linux", "r1", "unit,broken");
        Assert.True((await run.Ack.WaitAsync(s_wait)).Accepted);
        await run.Ended.WaitAsync(s_wait);

        using var writer = new StringWriter();
        Assert.Equal(3, ReportWriter.WriteJUnit(area.DatabasePath, "linux", "r1", writer));
        var file = Artifacts.File("live-junit.xml");
        File.WriteAllText(file, writer.ToString());
        Assert.Empty(Validate(file));
        var doc = XDocument.Parse(writer.ToString());
        var unit = doc.Descendants("testsuite").Single(s => (string?)s.Attribute("name") == "unit");
        Assert.Equal(["parser", "storage"], unit.Elements("testcase").Select(c => (string)c.Attribute("name")!));
        Assert.Equal("linux.r1.unit", (string?)unit.Elements("testcase").First().Attribute("classname"));
        var props = unit.Element("properties")!.Elements("property").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        Assert.StartsWith("42 (expected 42 tol 0)", props["parser/run/rule-1"], StringComparison.Ordinal);
        var broken = doc.Descendants("testcase").Single(c => (string?)c.Attribute("name") == "broken");
        Assert.Contains("widget check failed", broken.Element("system-out")!.Value, StringComparison.Ordinal);

        var missing = Assert.Throws<ReportException>(() => ReportWriter.WriteJUnit(area.DatabasePath, "linux", "nope", new StringWriter()));
        Assert.Contains("No run linux/nope", missing.Message, StringComparison.Ordinal);
    }
}
