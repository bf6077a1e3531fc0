using System.Text;
using Megatest.Config;
using Xunit.Abstractions;

namespace Megatest.Fuzz.Tests;

/// <summary>
/// Config files come from outside: whatever text arrives, reading gives a ConfigData or a ConfigException naming
/// file and line, within ten seconds (a hang never returns; the margin is for loaded CI machines), with no command run (AllowShell = false) and nothing written. Seeds are fixed;
/// a failure prints the case seed and the text as a C# literal.
/// </summary>
public sealed class ConfigFuzzTests(ITestOutputHelper output)
{
    private const int ReadTextBaseSeed = 70_001;
    private const int ReadFileBaseSeed = 70_002;
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    [Fact]
    public void ReadText_GivesDataOrALocatedError_WhenTextIsRandomOrMutated()
    {
        using var area = new ConfigFuzzArea();
        var generator = new ConfigCaseGenerator(area.Root, ConfigCorpus.Load(area.Areas));
        var before = DirectorySnapshot.Take(area.Root);

        var report = FuzzRunner.Run(
            new FuzzPlan("config (ConfigReader.ReadText)", ReadTextBaseSeed, 103_000, s_limit),
            generator.Generate,
            input => Read(input, area.Root),
            input => input.Describe());

        output.WriteLine(report.ToString());
        var written = DirectorySnapshot.Diff(before, DirectorySnapshot.Take(area.Root));
        Assert.True(report.Clean, report.ToString());
        Assert.True(written.Count == 0, "the fuzz directory changed:\n" + string.Join('\n', written));
        Assert.Equal(103_000, report.Tried);
        Assert.True(report.Accepted + report.Rejected >= 100_000, "fewer than 100 000 inputs were run to an outcome");
    }

    [Fact]
    public void ReadFile_GivesDataOrALocatedError_WhenFilesAreRandomBytesOrMutated()
    {
        // The file level: bytes that are not UTF-8, BOMs, and the same texts; each case is written to a scratch
        // file of its worker (outside the checked snapshot) and read by ReadFile and by AreaConfig.ReadRunConfigs
        // (target null, which reads with shell off).
        using var area = new ConfigFuzzArea();
        var generator = new ConfigCaseGenerator(area.Root, ConfigCorpus.Load(area.Areas));
        var before = DirectorySnapshot.Take(area.Root);
        using var scratch = new Megatest.Testing.TempDir("mt-fuzz-in");

        var report = FuzzRunner.Run(
            new FuzzPlan("config files (ConfigReader.ReadFile + AreaConfig.ReadRunConfigs)", ReadFileBaseSeed, 5_000, s_limit),
            seed => (Input: generator.Generate(seed), Bytes: Encode(generator.Generate(seed).Text, seed)),
            c =>
            {
                var path = Path.Combine(scratch.Path, $"w{Environment.CurrentManagedThreadId}", Path.GetFileName(c.Input.FileName));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, c.Bytes);
                var outcome = ReadFile(path, c.Input, area.Root);
                var env = EnvironmentScope.Empty();
                try
                {
                    AreaConfig.ReadRunConfigs(path, null, env);
                }
                catch (ConfigException ex)
                {
                    ConfigChecks.Refused(ex);
                    outcome = FuzzOutcome.Rejected;
                }
                ConfigChecks.NoCommandRan(area.Root);
                ConfigChecks.NoCommandRan(Path.GetDirectoryName(path)!);
                return outcome;
            },
            c => $"{c.Input.Describe()}; file bytes {Hex.Of(c.Bytes, 2048)}");

        output.WriteLine(report.ToString());
        var written = DirectorySnapshot.Diff(before, DirectorySnapshot.Take(area.Root));
        Assert.True(report.Clean, report.ToString());
        Assert.True(written.Count == 0, "the fuzz directory changed:\n" + string.Join('\n', written));
        Assert.Equal(5_000, report.Tried);
    }

    private static FuzzOutcome Read(ConfigInput input, string root)
    {
        try
        {
            var data = ConfigReader.ReadText(input.Text, input.FileName, Options(input, root));
            if (data is null)
            {
                throw new FuzzContractException("ReadText returned null");
            }

            return FuzzOutcome.Accepted;
        }
        catch (ConfigException ex)
        {
            ConfigChecks.Refused(ex);
            return FuzzOutcome.Rejected;
        }
        finally
        {
            ConfigChecks.NoCommandRan(root);
        }
    }

    private static FuzzOutcome ReadFile(string path, ConfigInput input, string root)
    {
        try
        {
            ConfigReader.ReadFile(path, Options(input, root));
            return FuzzOutcome.Accepted;
        }
        catch (ConfigException ex)
        {
            ConfigChecks.Refused(ex);
            return FuzzOutcome.Rejected;
        }
    }

    private static ConfigReadOptions Options(ConfigInput input, string root)
    {
        var env = EnvironmentScope.Empty();
        if (input.AreaHome is not null)
        {
            env.Set("MT_RUN_AREA_HOME", input.AreaHome);
        }

        return new ConfigReadOptions
        {
            Kind = input.Kind,
            Environment = env,
            AllowShell = false,
            Target = input.Target,
            AreaHome = input.AreaHome,
            WorkingDirectory = root,
        };
    }

    /// <summary>The text as file bytes: mostly UTF-8, sometimes with a BOM, as UTF-16, or with invalid sequences spliced in.</summary>
    private static byte[] Encode(string text, int seed)
    {
        var rng = new Random(seed ^ 0x5bd1e995);
        var bytes = new UTF8Encoding(false).GetBytes(text);
        switch (rng.Next(6))
        {
            case 0:
                return [0xef, 0xbb, 0xbf, .. bytes];
            case 1:
                return Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();
            case 2:
            {
                var list = bytes.ToList();
                for (var i = 0; i < 1 + rng.Next(8); i++)
                {
                    list.Insert(rng.Next(list.Count + 1), (byte)rng.Next(0x80, 0x100));
                }

                return [.. list];
            }

            case 3:
            {
                var random = new byte[rng.Next(2000)];
                rng.NextBytes(random);
                return random;
            }

            default:
                return bytes;
        }
    }
}
