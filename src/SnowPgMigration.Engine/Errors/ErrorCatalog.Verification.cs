namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode RepairDeleteRatioExceeded = new(
        "SFPG4400", ErrorKind.InvalidOperation,
        "A repair would delete more of the target than the maximum delete ratio allows",
        "Check why the target holds rows the source lacks (a wrong source_filter, a source emptied by mistake). If the deletes are right, repair with a higher --max-delete-ratio (-MaxDeleteRatio), or repair fewer ranges at a time.");

    public static readonly ErrorCode VerifyNothingSelected = new(
        "SFPG4401", ErrorKind.ObjectNotFound,
        "No enabled table of the config matches the selection",
        "Name a table by its target or source name as the config writes it (--table, -Table), and its source by source_name (--source, -Source).");

    public static readonly ErrorCode RepairRangesNotFound = new(
        "SFPG4402", ErrorKind.InvalidArgument,
        "The ranges given to repair are not ranges of the table any more",
        "Find the differing ranges again (sfpg verify, Find-SfPgGap) and repair what they name now, or repair the whole table's differing ranges without naming any.");

    public static readonly ErrorCode RepairDeleteRatioInvalid = new(
        "SFPG1060", ErrorKind.InvalidArgument,
        "The maximum delete ratio must be between 0 and 1",
        "Give a fraction of the table's target rows, e.g. 0.1 for one row in ten.");
}
