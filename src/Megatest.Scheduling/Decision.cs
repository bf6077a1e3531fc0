using Megatest.Core;

namespace Megatest.Scheduling;

/// <summary>Something the scheduler decided for a plan; the coordinator carries it out with packets.</summary>
public abstract record Decision;

/// <summary>Set a row that will not run to NOT_STARTED with a reason status (PREQ_FAIL, PREQ_DISCARDED, ZERO_ITEMS).</summary>
/// <param name="Row">The row.</param>
/// <param name="State">New state.</param>
/// <param name="Status">New status.</param>
/// <param name="Comment">Why.</param>
public sealed record SetRowDecision(RowState Row, string State, string Status, string Comment) : Decision;

/// <summary>Register the item rows of an itemized test whose prerequisites are met.</summary>
/// <param name="Test">The test.</param>
/// <param name="Items">The selected items.</param>
public sealed record ExpandDecision(PlannedTest Test, IReadOnlyList<Item> Items) : Decision;

/// <summary>Launch a row on an agent (capacity already reserved).</summary>
/// <param name="Test">The test.</param>
/// <param name="Row">The row to run.</param>
/// <param name="Item">The item, or null for a test without items.</param>
public sealed record LaunchDecision(PlannedTest Test, RowState Row, Item? Item) : Decision;
