using Microsoft.Extensions.Logging;
using Npgsql;
using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>Connection strings for the config's <c>postgres</c> block.</summary>
public static class TargetConnection
{
    /// <summary>
    /// A data source for the target: Npgsql's own type handling plus numeric written exactly from
    /// <see cref="Snowflake.ExactDecimal"/>, for NUMBER(38,s) values beyond <see cref="decimal"/>.
    /// Npgsql logs through <paramref name="loggerFactory"/>, the engine's own, so its warnings reach the host.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

#pragma warning disable NPG9001 // experimental type-resolver API; see ExactDecimalConverter
        builder.AddTypeInfoResolverFactory(new ExactDecimalTypeResolver());
#pragma warning restore NPG9001
        return builder.Build();
    }

    /// <summary>The connection string for <paramref name="database"/> on the configured server.</summary>
    public static string ConnectionString(PostgresSettings settings, string? database, string applicationName = "SnowPgMigration")
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = settings.Host,
            Port = settings.Port,
            Username = settings.User,
            Password = settings.Password,
            Database = database ?? settings.Database ?? "postgres",
            ApplicationName = applicationName,
            MaxPoolSize = 200,
            // COPY of a large chunk may run long; the chunk's own cancellation governs it.
            CommandTimeout = 0,
        };
        if (!string.IsNullOrEmpty(settings.SslMode) && Enum.TryParse<SslMode>(settings.SslMode, ignoreCase: true, out var sslMode))
        {
            builder.SslMode = sslMode;
        }

        return builder.ConnectionString;
    }
}
