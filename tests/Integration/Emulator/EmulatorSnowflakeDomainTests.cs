using System.Net;
using SnowPgMigration.Emulator.Results;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary>Columns declared with the domains named after Snowflake types are described and encoded as those types.</summary>
public sealed class EmulatorSnowflakeDomainTests
{
    private const string CreateTable = """
        CREATE SCHEMA "Geo";
        CREATE TABLE "Geo"."Typed" (
            "ID" int NOT NULL, "V" "VARIANT", "O" "OBJECT", "A" "ARRAY", "G" "GEOGRAPHY", "VF" "VECTOR_FLOAT_2", "VI" "VECTOR_INT_2",
            "NTZ" "TIMESTAMP_NTZ", "LTZ" "TIMESTAMP_LTZ", "TZ" "TIMESTAMP_TZ" NOT NULL);
        INSERT INTO "Geo"."Typed" VALUES
          (1, '{"a":[1,{"b":null}]}', '{"k":"v"}', '[]', '{"type":"Point","coordinates":[-122.35,37.55]}', '{1.5,-2.25}', '{1,-2147483648}',
           '9999-12-31 23:59:59.999999', '1900-01-01 00:00:00+00', '2026-10-09 12:34:56.123456789+07:00'),
          (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '1900-01-01 00:00:00-05:30');
        """;

    private static async Task<EmulatorTestServer> StartWithTableAsync()
    {
        var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync(SnowflakeTypeDomains.CreateSql + SnowflakeTypeDomains.CreateVectorSql("FLOAT", 2) + SnowflakeTypeDomains.CreateVectorSql("INT", 2));
        await server.PgAsync(CreateTable);
        return server;
    }

    [Fact]
    public async Task Domains_describe_and_encode_as_the_snowflake_types_they_are_named_after()
    {
        await using var server = await StartWithTableAsync();

        var response = await server.SubmitAsync("""SELECT * FROM "Geo"."Typed" ORDER BY "ID" """);

        response.Status.Should().Be(HttpStatusCode.OK, response.Body);
        string TypeOf(string name) => response.Column(name).GetProperty("type").GetString()!;
        new[] { "V", "O", "A", "G", "VF", "VI", "NTZ", "LTZ", "TZ" }.Select(TypeOf).Should().Equal(
            "variant", "object", "array", "object", "vector", "vector", "timestamp_ntz", "timestamp_ltz", "timestamp_tz");
        response.Column("G").GetProperty("extTypeName").GetString().Should().Be("GEOGRAPHY");
        response.Column("V").TryGetProperty("extTypeName", out _).Should().BeFalse();
        response.Column("TZ").GetProperty("scale").GetInt32().Should().Be(9);
        response.Column("TZ").GetProperty("nullable").GetBoolean().Should().BeFalse();

        response.Rows[0].Skip(1).Should().Equal(
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ]\n}",
            "{\n  \"k\": \"v\"\n}",
            "[]",
            "{\n  \"type\": \"Point\",\n  \"coordinates\": [\n    -122.35,\n    37.55\n  ]\n}",
            "[1.500000,-2.250000]",
            "[1,-2147483648]",
            "253402300799.999999000",
            "-2208988800.000000000",
            "1791524096.123456789 1860");
        response.Rows[1].Skip(1).Should().Equal(null, null, null, null, null, null, null, null, "-2208969000.000000000 1110");
    }

    [Fact]
    public async Task Describe_table_shows_each_declared_type_with_a_vectors_element_type_and_dimension()
    {
        await using var server = await StartWithTableAsync();

        var response = await server.SubmitAsync("""DESCRIBE TABLE "Geo"."Typed" """);

        response.Status.Should().Be(HttpStatusCode.OK, response.Body);
        response.Rows.Select(r => $"{r[0]} {r[1]} {r[3]}").Should().Equal(
            "ID NUMBER(38,0) N", "V VARIANT Y", "O OBJECT Y", "A ARRAY Y", "G GEOGRAPHY Y", "VF VECTOR(FLOAT, 2) Y", "VI VECTOR(INT, 2) Y",
            "NTZ TIMESTAMP_NTZ(9) Y", "LTZ TIMESTAMP_LTZ(9) Y", "TZ TIMESTAMP_TZ(9) N");
        // Its rowType is Snowflake's for DESCRIBE: text columns, name and type first.
        response.Column("type").GetProperty("type").GetString().Should().Be("text");
    }

    [Fact]
    public async Task A_vector_domain_holds_exactly_its_dimension_of_non_null_elements()
    {
        await using var server = await StartWithTableAsync();

        foreach (var value in new[] { "'{1}'", "'{1,2,3}'", "'{1,NULL}'" })
        {
            var refused = async () => await server.PgAsync($"""SELECT {value}::"VECTOR_INT_2" """);
            await refused.Should().ThrowAsync<Npgsql.PostgresException>().Where(e => e.SqlState == "23514", value);
        }
    }

    [Fact]
    public async Task A_timestamp_tz_without_its_offset_is_refused_by_the_domain()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync(SnowflakeTypeDomains.CreateSql);

        var refused = async () => await server.PgAsync("""SELECT '2026-10-09 12:34:56'::"TIMESTAMP_TZ" """);

        await refused.Should().ThrowAsync<Npgsql.PostgresException>().Where(e => e.SqlState == "23514");
    }
}
