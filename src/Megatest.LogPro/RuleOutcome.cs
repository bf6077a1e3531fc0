namespace Megatest.LogPro;

/// <summary>
/// The end-of-log evaluation of one rule (or trigger), numbered in definition order as in the .dat file's
/// [rule-N] sections. Expected/Measured/Tolerance are display strings ("" when not applicable).
/// </summary>
public sealed record RuleOutcome(
    int Index,
    string Type,
    string Description,
    string Section,
    string Operator,
    string Expected,
    string Measured,
    string Tolerance,
    bool Passed);
