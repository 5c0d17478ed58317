using System.Net;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary>Every PostgreSQL type the emulator serves, encoded as the SQL API encodes Snowflake values.</summary>
public sealed class EmulatorTypeEncodingTests
{
    private const string CreateTable = """
        CREATE SCHEMA "Sales";
        CREATE TABLE "Sales"."AllTypes" (
            "Id" int NOT NULL, big int8, small int2, n38 numeric(38,0), n10_2 numeric(10,2), n38_37 numeric(38,37),
            r8 float8, r4 float4, t text, vc varchar(20), ch char(3), u uuid, b bytea, bo bool,
            d date, tm time, tn timestamp, tz timestamptz, j jsonb, arr int[], tarr text[]);
        INSERT INTO "Sales"."AllTypes" VALUES
          (1, 9223372036854775807, -32768, 99999999999999999999999999999999999999, -12345678.90, 1.2345678901234567890123456789012345678,
           1.5, 'NaN', E'héllo 世界 🎉 "q" \\ and\nnewline', 'abc', 'ab', 'd7c7db19-5fea-44a0-92b6-38d7ee62750b', '\xdeadbeef', true,
           '1970-01-01', '00:00:00', '1970-01-01 00:00:00.5', '2026-10-09 12:34:56.123456+07', '{"a":1}', '{1,NULL,3}', '{"x y",NULL}'),
          (2, -9223372036854775808, 0, -99999999999999999999999999999999999999, 0, NULL,
           'Infinity', '-Infinity', '', 'z', 'abc', NULL, '\x', false,
           '9999-12-31', '23:59:59.999999', '1969-12-31 23:59:59.5', '1970-01-01 00:00:00+00', '[1,"x"]', '{}', '{}'),
          (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        """;

    [Fact]
    public async Task Values_of_every_type_use_the_sql_api_encodings()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync(CreateTable);

        var response = await server.SubmitAsync(
            """SELECT * FROM "AllTypes" ORDER BY "Id" """,
            extra: new { schema = "Sales", parameters = new { TIMEZONE = "Asia/Jakarta" } });

        response.Status.Should().Be(HttpStatusCode.OK, response.Body);
        var rows = response.Rows;
        rows.Should().HaveCount(3);
        string?[] Row(int i) => rows[i];
        Row(0).Should().Equal(
            "1", "9223372036854775807", "-32768", "99999999999999999999999999999999999999", "-12345678.90", "1.2345678901234567890123456789012345678",
            "1.5", "NaN", "héllo 世界 🎉 \"q\" \\ and\nnewline", "abc", "ab ", "d7c7db19-5fea-44a0-92b6-38d7ee62750b", "DEADBEEF", "true",
            "0", "0.000000000", "0.500000000", "1791524096.123456000 1860", "{\n  \"a\": 1\n}", "[\n  1,\n  undefined,\n  3\n]", "[\n  \"x y\",\n  undefined\n]");
        Row(1).Should().Equal(
            "2", "-9223372036854775808", "0", "-99999999999999999999999999999999999999", "0.00", null,
            "inf", "-inf", "", "z", "abc", null, "", "false",
            "2932896", "86399.999999000", "-0.500000000", "0.000000000 1860", "[\n  1,\n  \"x\"\n]", "[]", "[]");
        Row(2)[0].Should().Be("3");
        Row(2).Skip(1).Should().OnlyContain(v => v == null);
    }

    [Fact]
    public async Task RowType_describes_each_column_as_snowflake_does()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync(CreateTable);

        var response = await server.SubmitAsync("""SELECT *, 'computed'::text AS "Computed" FROM "Sales"."AllTypes" WHERE false""");

        response.Status.Should().Be(HttpStatusCode.OK, response.Body);
        (string Type, int? Precision, int? Scale, long? Length, long? ByteLength) Describe(string name)
        {
            var column = response.Column(name);
            static long? Number(System.Text.Json.JsonElement e) => e.ValueKind == System.Text.Json.JsonValueKind.Null ? null : e.GetInt64();
            return (column.GetProperty("type").GetString()!, (int?)Number(column.GetProperty("precision")), (int?)Number(column.GetProperty("scale")),
                Number(column.GetProperty("length")), Number(column.GetProperty("byteLength")));
        }

        Describe("Id").Should().Be(("fixed", 38, 0, null, null));
        Describe("big").Should().Be(("fixed", 38, 0, null, null));
        Describe("small").Should().Be(("fixed", 38, 0, null, null));
        Describe("n38").Should().Be(("fixed", 38, 0, null, null));
        Describe("n10_2").Should().Be(("fixed", 10, 2, null, null));
        Describe("n38_37").Should().Be(("fixed", 38, 37, null, null));
        Describe("r8").Should().Be(("real", null, null, null, null));
        Describe("r4").Should().Be(("real", null, null, null, null));
        Describe("t").Should().Be(("text", null, null, 16_777_216L, 67_108_864L));
        Describe("vc").Should().Be(("text", null, null, 20L, 80L));
        Describe("ch").Should().Be(("text", null, null, 3L, 12L));
        Describe("u").Should().Be(("text", null, null, 36L, 144L));
        Describe("b").Should().Be(("binary", null, null, 8_388_608L, 8_388_608L));
        Describe("bo").Should().Be(("boolean", null, null, null, null));
        Describe("d").Should().Be(("date", null, null, null, null));
        Describe("tm").Should().Be(("time", 0, 9, null, null));
        Describe("tn").Should().Be(("timestamp_ntz", 0, 9, null, null));
        Describe("tz").Should().Be(("timestamp_tz", 0, 9, null, null));
        Describe("j").Should().Be(("variant", null, null, null, null));
        Describe("arr").Should().Be(("array", null, null, null, null));
        Describe("Computed").Should().Be(("text", null, null, 134_217_728L, 134_217_728L));

        var id = response.Column("Id");
        id.GetProperty("database").GetString().Should().Be(server.Database);
        id.GetProperty("schema").GetString().Should().Be("Sales");
        id.GetProperty("table").GetString().Should().Be("AllTypes");
        id.GetProperty("nullable").GetBoolean().Should().BeFalse();
        response.Column("big").GetProperty("nullable").GetBoolean().Should().BeTrue();
        response.Column("Computed").GetProperty("table").GetString().Should().BeEmpty();
        response.Json.GetProperty("resultSetMetaData").GetProperty("numRows").GetInt64().Should().Be(0);
        response.Json.GetProperty("data").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Timestamp_tz_offset_follows_the_request_time_zone_and_defaults_to_utc()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        const string sql = "SELECT '2026-10-09 12:34:56.123456+07'::timestamptz AS tz";

        var utc = await server.SubmitAsync(sql);
        var kolkata = await server.SubmitAsync(sql, extra: new { parameters = new { timezone = "Asia/Kolkata" } });

        utc.Rows[0][0].Should().Be("1791524096.123456000 1440");
        kolkata.Rows[0][0].Should().Be("1791524096.123456000 1770");
    }

    [Fact]
    public async Task Nullable_false_sends_sql_null_as_the_string_null()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var response = await server.SubmitAsync("SELECT NULL::int AS a, 'x'::text AS b", query: "nullable=false");

        response.Rows[0].Should().Equal("null", "x");
    }

    [Fact]
    public async Task Long_text_with_quotes_backslashes_and_control_characters_arrives_exactly_in_every_partition()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { PartitionRows = 10 });
        // Each value is longer than the emulator's first value buffer (4 kB), with multi-byte characters.
        await server.PgAsync("""
            CREATE TABLE long_text AS
            SELECT g, repeat(E'\u00e9"\\', 2000 + g) || chr(1) || E'\t\n' || chr(31) || g AS t FROM generate_series(1, 25) g
            """);
        var expected = (string)(await server.PgAsync("SELECT string_agg(encode(sha256(convert_to(t, 'UTF8')), 'hex'), ',' ORDER BY g) FROM long_text"))!;

        var first = await server.SubmitAsync("SELECT t FROM long_text ORDER BY g");
        var values = first.Rows.Select(r => r[0]).ToList();
        var bodies = new List<string> { first.Body };
        for (var partition = 1; partition < 3; partition++)
        {
            var page = await server.GetAsync(first.Handle, $"partition={partition}");
            bodies.Add(page.Body);
            values.AddRange(page.Rows.Select(r => r[0]));
        }

        static string Sha256(string? text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text!)));
        string.Join(',', values.Select(Sha256)).Should().Be(expected);
        bodies.Should().OnlyContain(b => b.Contains("\\u0001\\t\\n\\u001f", StringComparison.Ordinal), "control characters are escaped as JSON requires");
    }

    [Fact]
    public async Task Unconstrained_numeric_reports_the_widest_scale_seen()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var response = await server.SubmitAsync("SELECT v FROM (VALUES (1.5::numeric), (2.125::numeric), (3::numeric)) AS x(v)");

        response.Rows.Select(r => r[0]).Should().Equal("1.5", "2.125", "3");
        response.Column("v").GetProperty("scale").GetInt32().Should().Be(3);
        response.Column("v").GetProperty("precision").GetInt32().Should().Be(38);
    }

    [Fact]
    public async Task Mixed_case_database_schema_and_table_are_found_by_three_part_name_or_by_request_fields()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        var database = "SnowDb_" + Guid.NewGuid().ToString("N")[..8];
        await server.PgAsync($"CREATE DATABASE \"{database}\"", "postgres");
        await server.PgAsync("""CREATE SCHEMA "Pub"; CREATE TABLE "Pub"."Orders" ("OrderId" bigint, "Note" text); INSERT INTO "Pub"."Orders" VALUES (7, 'ünïcødé ✓')""", database);

        var qualified = await server.SubmitAsync($"SELECT \"OrderId\", \"Note\" FROM \"{database}\".\"Pub\".\"Orders\"");
        var byFields = await server.SubmitAsync("SELECT * FROM \"Orders\"", extra: new { database, schema = "Pub" });

        qualified.Status.Should().Be(HttpStatusCode.OK, qualified.Body);
        qualified.Rows.Should().ContainSingle().Which.Should().Equal("7", "ünïcødé ✓");
        qualified.Column("OrderId").GetProperty("database").GetString().Should().Be(database);
        qualified.Column("OrderId").GetProperty("schema").GetString().Should().Be("Pub");
        qualified.Column("OrderId").GetProperty("table").GetString().Should().Be("Orders");
        byFields.Status.Should().Be(HttpStatusCode.OK, byFields.Body);
        byFields.Rows.Should().ContainSingle().Which.Should().Equal("7", "ünïcødé ✓");
    }

    [Fact]
    public async Task Snowflake_isms_and_bindings_are_rewritten_for_postgres()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync("CREATE TABLE t (id bigint, name text); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");

        var now = await server.SubmitAsync("SELECT CURRENT_TIMESTAMP() AS ts, 'CURRENT_DATE()' AS literal");
        var bound = await server.SubmitAsync(
            "SELECT name FROM t WHERE id > ? AND name <> ? ORDER BY id",
            extra: new { bindings = new Dictionary<string, object> { ["1"] = new { type = "FIXED", value = "1" }, ["2"] = new { type = "TEXT", value = "c" } } });

        now.Status.Should().Be(HttpStatusCode.OK, now.Body);
        now.Rows[0][1].Should().Be("CURRENT_DATE()");
        now.Column("ts").GetProperty("type").GetString().Should().Be("timestamp_tz");
        bound.Status.Should().Be(HttpStatusCode.OK, bound.Body);
        bound.Rows.Select(r => r[0]).Should().Equal("b");
    }
}
