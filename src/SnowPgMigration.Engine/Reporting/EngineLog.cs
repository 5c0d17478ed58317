using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// Every log message of the engine, declared once with its event id (Npgsql's LogMessages pattern). Ranges:
/// 4100 runs, 4200 tables, 4300 chunks, 4400 indexes, 4500 verification; the Snowflake client's
/// are in SnowflakeLog (3100). Debug is the --verbose / -Verbose level. No message carries a secret: values are
/// names, ids, counts and error texts the engine already shows.
/// </summary>
internal static partial class EngineLog
{
}
