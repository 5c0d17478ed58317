using System.Text.Json;
using SnowPgMigration.Emulator.Results;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// GEOGRAPHY and GEOMETRY become PostGIS's geography and geometry where the target database has the extension, and
/// GeoJSON text where it has not; either way every coordinate arrives bit for bit (EWKB computed by PostGIS on both
/// sides) and verification by checksums and by keys agrees.
/// </summary>
public sealed class GeospatialTargetTests
{
    // Points (2D and 3D), a polygon with a hole, multi-geometries, a collection, an empty collection and NULLs.
    private const string GeoSource = """
        CREATE TABLE "PUBLIC"."PLACES" ("ID" numeric(38,0) NOT NULL, "G" "GEOGRAPHY", "GM" "GEOMETRY");
        INSERT INTO "PUBLIC"."PLACES" VALUES
          (1, '{"type":"Point","coordinates":[-122.35,37.55]}', '{"type":"Point","coordinates":[3.000000000000000e+00,4.000000000000000e+00]}'),
          (2, '{"type":"Point","coordinates":[179.99999999999997,-89.123456789012345,1234.5]}', '{"type":"Point","coordinates":[0.1,0.2,0.30000000000000004]}'),
          (3, '{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[2,3],[3,3],[2,2]]]}',
              '{"type":"Polygon","coordinates":[[[-1e6,-1e6],[1e6,-1e6],[1e6,1e6],[-1e6,-1e6]]]}'),
          (4, '{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}',
              '{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3.5]]]}'),
          (5, '{"type":"GeometryCollection","geometries":[]}', '{"type":"GeometryCollection","geometries":[]}'),
          (6, '{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[1,2],[3,4]]}]}',
              '{"type":"MultiPoint","coordinates":[[1,2],[-3.25,4e-7]]}'),
          (7, NULL, NULL);
        """;

    private const string Table = """
        [ { "source": "PLACES", "target": "places", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
            "uniqueness_columns": ["ID"], "create_target": true } ]
        """;

    private static async Task<MigrationEnvironment> StartAsync()
    {
        var env = await MigrationEnvironment.StartAsync();
        // PostGIS in the source database only to fingerprint its GeoJSON; the emulator reads the Snowflake domains.
        await env.Source("CREATE EXTENSION postgis;" + SnowflakeTypeDomains.CreateSql);
        await env.Source(GeoSource);
        return env;
    }

    [Fact]
    public async Task With_postgis_they_are_created_as_geography_and_geometry_and_loaded_bit_for_bit()
    {
        await using var env = await StartAsync();
        await env.TargetSql("CREATE EXTENSION postgis");

        var plan = (await env.RunAsync(env.Config(Table), new MigrationOptions { DryRun = true })).DryRun.Single();
        var run = (await env.RunAsync(env.Config(Table))).Runs.Single();

        plan.TargetDdl[1].Should().Contain("\n    \"G\" geography,\n    \"GM\" geometry,\n");

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<string>("""
            SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
            FROM pg_attribute WHERE attrelid = 'public.places'::regclass AND attnum > 0
            """)).Should().Be("ID numeric(38,0), G geography, GM geometry");
        // PostGIS's own GeoJSON reader on the source, the loaded values on the target: the same EWKB, so the same doubles.
        var source = await env.SourceFingerprint("PLACES", """
            "ID", encode(ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON("G"::text), 4326), 'NDR'), 'hex'),
            encode(ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON("GM"::text), 0), 'NDR'), 'hex')
            """);
        source.Rows.Should().Be(7);
        (await env.TargetFingerprint("places", """ "ID", encode(ST_AsEWKB("G"::geometry, 'NDR'), 'hex'), encode(ST_AsEWKB("GM", 'NDR'), 'hex') """))
            .Should().Be(source);
        (await env.TargetColumn<string>("""SELECT ST_AsEWKT("G") || ' | ' || ST_AsEWKT("GM") FROM places WHERE "ID" IN (1, 5) ORDER BY "ID" """))
            .Should().Equal("SRID=4326;POINT(-122.35 37.55) | POINT(3 4)", "SRID=4326;GEOMETRYCOLLECTION EMPTY | GEOMETRYCOLLECTION EMPTY");

        await VerifiesAsync(env, mismatchSql: """UPDATE places SET "GM" = ST_Translate("GM", 1e-9, 0) WHERE "ID" = 4""");

        // A second run upserts through the staging table: the changed row is replaced, the new one added, the others kept.
        await env.Source("""
            UPDATE "PUBLIC"."PLACES" SET "G" = '{"type":"Point","coordinates":[10.5,-20.25]}' WHERE "ID" = 1;
            INSERT INTO "PUBLIC"."PLACES" VALUES (8, '{"type":"LineString","coordinates":[[1,1],[2,2]]}', '{"type":"Point","coordinates":[5,6,7]}');
            """);
        var again = (await env.RunAsync(env.Config(Table))).Runs.Single();
        again.Status.Should().Be(RunStatus.Completed, again.Error);
        again.Tables.Single().LoadMethod.Should().NotBe("copy");
        (await env.TargetFingerprint("places", """ "ID", encode(ST_AsEWKB("G"::geometry, 'NDR'), 'hex'), encode(ST_AsEWKB("GM", 'NDR'), 'hex') """))
            .Should().Be(await env.SourceFingerprint("PLACES", """
                "ID", encode(ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON("G"::text), 4326), 'NDR'), 'hex'),
                encode(ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON("GM"::text), 0), 'NDR'), 'hex')
                """));
    }

    [Fact]
    public async Task An_existing_postgis_column_gets_the_srid_its_type_declares()
    {
        await using var env = await StartAsync();
        // Its columns are 2D, so the 3D row stays behind.
        await env.Source("""DELETE FROM "PUBLIC"."PLACES" WHERE "ID" = 2""");
        await env.TargetSql("""
            CREATE EXTENSION postgis;
            CREATE TABLE places ("ID" numeric(38,0) PRIMARY KEY, "G" geography(Geometry,4326), "GM" geometry(Geometry,3857));
            """);

        var run = (await env.RunAsync(env.Config(Table))).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetFingerprint("places", """ "ID", encode(ST_AsEWKB("G"::geometry, 'NDR'), 'hex'), encode(ST_AsEWKB("GM", 'NDR'), 'hex') """))
            .Should().Be(await env.SourceFingerprint("PLACES", """
                "ID", encode(ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON("G"::text), 4326), 'NDR'), 'hex'),
                encode(ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON("GM"::text), 3857), 'NDR'), 'hex')
                """));
        (await env.TargetScalar<int>("""SELECT ST_SRID("GM") FROM places WHERE "ID" = 1""")).Should().Be(3857);
        await VerifiesAsync(env, mismatchSql: """UPDATE places SET "GM" = ST_Translate("GM", 1e-9, 0) WHERE "ID" = 4""");
    }

    [Fact]
    public async Task Without_postgis_they_land_as_the_geojson_text()
    {
        await using var env = await StartAsync();

        var run = (await env.RunAsync(env.Config(Table))).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<string>("""
            SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
            FROM pg_attribute WHERE attrelid = 'public.places'::regclass AND attnum > 0
            """)).Should().Be("ID numeric(38,0), G text, GM text");
        (await env.TargetFingerprint("places", """ "ID", "G"::jsonb, "GM"::jsonb """))
            .Should().Be(await env.SourceFingerprint("PLACES", """ "ID", "G"::jsonb, "GM"::jsonb """));

        await VerifiesAsync(env, mismatchSql: """UPDATE places SET "GM" = replace("GM", '3.5', '3.50001') WHERE "ID" = 4""");
    }

    /// <summary>Checksums and the keyed (deep) comparison agree with the load, and the checksums see a change of one coordinate.</summary>
    private static async Task VerifiesAsync(MigrationEnvironment env, string mismatchSql)
    {
        var deep = await SfpgProcess.RunAsync(TimeSpan.FromMinutes(2), "verify", "--config", env.ConfigFile(Table), "--deep", "--json");
        deep.ExitCode.Should().Be(0, deep.Output + deep.Error);
        var verdict = JsonDocument.Parse(deep.Output).RootElement.EnumerateArray().Single();
        $"{verdict.GetProperty("missing").GetInt64()} {verdict.GetProperty("extra").GetInt64()} {verdict.GetProperty("changed").GetInt64()}".Should().Be("0 0 0");

        var config = env.Config(Table);
        using var client = SnowflakeClient.Create(config.Snowflake);
        var source = config.Sources.Single();
        await using var target = TargetConnection.CreateDataSource(env.TargetConnection);
        var verifier = new TableVerifier(new SnowflakeSource(client, source.SourceSfDatabase, source.SourceSfSchema, null, null), target);
        (await verifier.VerifyAsync(source, source.Tables.Single(), CancellationToken.None)).Matches.Should().BeTrue();
        await env.TargetSql(mismatchSql);
        (await verifier.VerifyAsync(source, source.Tables.Single(), CancellationToken.None)).Matches.Should().BeFalse();
    }
}
