namespace Megatest.Storage;

/// <summary>
/// Where an applied status change stands in its sender's order: the test it changed and its header's sequence number.
/// Recorded with the packet in <c>applied_packets</c>, so the db writer's order of each sender's changes
/// survives the db writer.
/// </summary>
public readonly record struct SenderOrder(long TestId, long Sequence);
