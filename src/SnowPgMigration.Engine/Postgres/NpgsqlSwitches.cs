using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>Npgsql settings the engine depends on, applied once when the engine assembly loads.</summary>
internal static class NpgsqlSwitches
{
    /// <summary>
    /// Npgsql maps DateTime/DateOnly.MaxValue and MinValue to PostgreSQL's 'infinity' by default.
    /// 9999-12-31 is a common end-of-time value in warehouses and must arrive as itself.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before any Npgsql type handling, whichever engine entry point is used first.")]
    internal static void Apply() => AppContext.SetSwitch("Npgsql.DisableDateTimeInfinityConversions", true);
}
