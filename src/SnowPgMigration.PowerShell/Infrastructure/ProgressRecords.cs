using System.Globalization;
using System.Management.Automation;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>Maps engine progress to Write-Progress records.</summary>
internal static class ProgressRecords
{
    public static ProgressRecord From(ProgressEvent progress)
    {
        var record = new ProgressRecord(progress.ActivityId, progress.Activity, StatusText(progress))
        {
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            PercentComplete = progress.PercentComplete ?? -1,
        };
        if (progress.ParentActivityId is { } parent)
        {
            record.ParentActivityId = parent;
        }

        if (progress.RowsPerSecond is > 0 && progress.RowsExpected is { } expected && expected > progress.RowsDone)
        {
            record.SecondsRemaining = (int)Math.Min(int.MaxValue, (expected - progress.RowsDone) / progress.RowsPerSecond.Value);
        }

        return record;
    }

    internal static string StatusText(ProgressEvent progress)
    {
        var rows = progress.RowsExpected is { } expected
            ? string.Create(CultureInfo.CurrentCulture, $"{progress.RowsDone:N0} of {expected:N0} rows")
            : string.Create(CultureInfo.CurrentCulture, $"{progress.RowsDone:N0} rows");
        var rate = progress.RowsPerSecond is { } perSecond
            ? string.Create(CultureInfo.CurrentCulture, $", {perSecond:N0} rows/s")
            : "";
        return string.IsNullOrEmpty(progress.Status) ? rows + rate : $"{progress.Status}: {rows}{rate}";
    }
}
