using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Npgsql;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>Npgsql settings the engine depends on, applied once when the engine assembly loads.</summary>
internal static class NpgsqlSwitches
{
    internal const string DisableDateTimeInfinityConversions = "Npgsql.DisableDateTimeInfinityConversions";

    /// <summary>
    /// Npgsql maps DateTime/DateOnly.MaxValue and MinValue to PostgreSQL's 'infinity' by default.
    /// 9999-12-31 is a common end-of-time value in warehouses and must arrive as itself.
    /// </summary>
    /// <remarks>
    /// AppContext switches are process-wide, and a PowerShell session may hold another module's Npgsql
    /// (in its own load context). Npgsql reads the switch once, when its <c>Npgsql.Util.Statics</c>
    /// initialises: so the switch is set, this Npgsql made to read it, and the previous value put back.
    /// </remarks>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before any Npgsql type handling, whichever engine entry point is used first.")]
    internal static void Apply()
    {
        var statics = typeof(NpgsqlConnection).Assembly.GetType("Npgsql.Util.Statics", throwOnError: false);
        var hadSwitch = AppContext.TryGetSwitch(DisableDateTimeInfinityConversions, out var previous);
        AppContext.SetSwitch(DisableDateTimeInfinityConversions, true);
        if (statics is null)
        {
            // A Npgsql that reads the switch elsewhere, or later: leave it set so this engine keeps its values.
            return;
        }

        RuntimeHelpers.RunClassConstructor(statics.TypeHandle);
        // There is no way to remove a switch; false reads as unset ("TryGetSwitch(...) && enabled").
        AppContext.SetSwitch(DisableDateTimeInfinityConversions, hadSwitch && previous);
    }
}
