namespace Megatest.Core;

/// <summary>Dependency modes of <c>[requirements] mode</c> (SPEC §4.1); flags combine.</summary>
[Flags]
public enum WaitMode
{
    /// <summary>Waiton met when the waited-on toplevel is COMPLETED with an OK status.</summary>
    Normal = 0,

    /// <summary>Waiton met when the waited-on toplevel is COMPLETED (any status) or KILLED.</summary>
    Toplevel = 1,

    /// <summary>Item-to-item waiting through the item map (<c>itemwait</c>/<c>itemmatch</c>).</summary>
    ItemWait = 2,

    /// <summary>The test/item may not start while the same test/item runs in any run.</summary>
    Exclusive = 4,
}
