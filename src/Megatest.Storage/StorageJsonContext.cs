using System.Text.Json.Serialization;

namespace Megatest.Storage;

/// <summary>Source-generated JSON metadata for the arrays bound to <c>json_each</c> parameters.</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(long[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext
{
}
