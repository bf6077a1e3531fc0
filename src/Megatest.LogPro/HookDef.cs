namespace Megatest.LogPro;

/// <summary>A named hook from <c>hook:add</c>: a shell command run when its rule is credited.</summary>
internal sealed record HookDef(string Name, string Command, bool OneTime);
