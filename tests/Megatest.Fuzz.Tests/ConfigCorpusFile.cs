using Megatest.Config;

namespace Megatest.Fuzz.Tests;

/// <summary>A real config file of the corpus, as copied into the fuzz directory.</summary>
/// <param name="Path">Its path in the copy (so relative includes resolve inside the fuzz directory).</param>
/// <param name="AreaHome">The area it belongs to (in the copy).</param>
/// <param name="Kind">The kind its name implies.</param>
/// <param name="Text">Its text.</param>
public sealed record ConfigCorpusFile(string Path, string AreaHome, ConfigKind Kind, string Text);
