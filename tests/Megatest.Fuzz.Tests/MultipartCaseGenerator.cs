namespace Megatest.Fuzz.Tests;

/// <summary>Multipart messages with wrong, right and shuffled frame counts built from valid, mutated, random and empty frames.</summary>
public static class MultipartCaseGenerator
{
    /// <summary>The input of case seed <paramref name="caseSeed"/>.</summary>
    public static MultipartInput Generate(int caseSeed)
    {
        var rng = new Random(caseSeed);
        var pool = PacketSamples.Pool;
        var sample = pool[rng.Next(pool.Count)];
        var hasRouting = rng.Next(2) == 0;
        var frames = new List<byte[]>();
        string origin;
        if (rng.Next(3) == 0)
        {
            // The right shape, possibly with one frame damaged.
            if (hasRouting)
            {
                frames.Add(RandomBytes(rng, 8));
            }

            frames.Add(sample.HeaderFrame);
            frames.Add(sample.BodyFrame);
            var log = new List<string>();
            if (rng.Next(2) == 0)
            {
                var at = rng.Next(frames.Count);
                frames[at] = FrameMutator.Mutate(frames[at], sample.BodyFrame, rng, log);
            }

            origin = $"well-shaped {sample.Code} {string.Join(',', log)}";
        }
        else
        {
            var count = rng.Next(8);
            for (var i = 0; i < count; i++)
            {
                frames.Add(rng.Next(5) switch
                {
                    0 => sample.HeaderFrame,
                    1 => sample.BodyFrame,
                    2 => [],
                    3 => RandomBytes(rng, 40),
                    _ => pool[rng.Next(pool.Count)].HeaderFrame,
                });
            }

            origin = $"{count} mixed frames around {sample.Code}";
        }

        return new MultipartInput(frames.ToArray(), hasRouting, origin);
    }

    private static byte[] RandomBytes(Random rng, int max)
    {
        var bytes = new byte[rng.Next(max + 1)];
        rng.NextBytes(bytes);
        return bytes;
    }
}
