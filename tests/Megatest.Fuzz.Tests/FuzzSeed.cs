namespace Megatest.Fuzz.Tests;

/// <summary>Derives the seed of one fuzz case from a run's base seed and the case index, so any case can be replayed alone.</summary>
public static class FuzzSeed
{
    /// <summary>The seed of case <paramref name="index"/> of a run with <paramref name="baseSeed"/> (stable across runs and machines).</summary>
    public static int For(int baseSeed, int index)
    {
        unchecked
        {
            var x = (uint)baseSeed * 0x9E3779B1u ^ (uint)index * 0x85EBCA6Bu;
            x ^= x >> 15;
            x *= 0x2C1B3C6Du;
            x ^= x >> 12;
            return (int)(x & 0x7FFFFFFF);
        }
    }
}
