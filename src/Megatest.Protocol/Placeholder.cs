namespace Megatest.Protocol;

internal static class AssemblyMarker
{
}
