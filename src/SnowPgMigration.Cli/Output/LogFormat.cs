namespace SnowPgMigration.Cli.Output;

/// <summary>How sfpg writes its log lines and progress on stderr (--log-format).</summary>
internal enum LogFormat
{
    /// <summary>For people: a time and the message; on a terminal a live progress line.</summary>
    Text,

    /// <summary>For unattended hosts: one JSON object per line, with the event id, level and the message's values.</summary>
    Json,
}
