using Npgsql;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// The extensions of a target database the type contract can use: with PostGIS, GEOGRAPHY and GEOMETRY are created as
/// its <c>geography</c> and <c>geometry</c> types instead of GeoJSON text.
/// </summary>
/// <param name="PostGis">The postgis extension is installed and its types resolve on the connection's search_path.</param>
public sealed record TargetExtensions(bool PostGis)
{
    /// <summary>A target the tool has not looked at (<c>sfpg ddl</c>): no extension is assumed.</summary>
    public static readonly TargetExtensions None = new(PostGis: false);

    public static async Task<TargetExtensions> DetectAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Both types must resolve unqualified, as the DDL names them: an extension in a schema off the search_path is not used.
        using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') AND to_regtype('geography') IS NOT NULL AND to_regtype('geometry') IS NOT NULL",
            connection);
        var postGis = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new TargetExtensions(postGis);
    }
}
