namespace Megatest.Storage;

/// <summary><see cref="DatabaseLayout.Legacy"/>: every table in the main database.</summary>
internal sealed class SingleFileTables(CommandCache main) : RunTables(main)
{
    public override bool PerRun => false;

    public override CommandCache ForRun(long runId) => Main;

    public override CommandCache ForTest(long testId) => Main;

    public override IEnumerable<CommandCache> All() => [Main];

    public override long? TestIdBase(long runId) => null;
}
