namespace Megatest.LogPro;

/// <summary>How a failing rule affects the overall result; declared in precedence order.</summary>
internal enum RuleCategory
{
    Skip,
    Abort,
    Check,
    Error,
    Warning,
    Waive,
    None,
}
