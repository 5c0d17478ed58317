using System.Net;
using System.Text.Json;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary>
/// The emulator's answers have the shape of the live service's recorded answers for the same kind of
/// request: status, keys in order, codes, SQL states, <c>rowType</c> fields, headers and value text.
/// </summary>
public sealed class EmulatorConformanceTests
{
    private sealed record Recording(int Status, JsonElement Body, IReadOnlyDictionary<string, string> Headers)
    {
        public IReadOnlyList<string> Keys => Body.EnumerateObject().Select(p => p.Name).ToList();
    }

    private static Recording Load(string number)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Snowflake", "Recordings");
        var file = Directory.GetFiles(folder, $"snowflake-{number}-*.json").Single();
        var response = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("response");
        var headers = response.GetProperty("header").EnumerateObject()
            .ToDictionary(h => h.Name, h => string.Join(",", h.Value.EnumerateArray().Select(v => v.GetString())), StringComparer.OrdinalIgnoreCase);
        return new Recording(response.GetProperty("status").GetInt32(), JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement, headers);
    }

    private static void ShouldMatchShape(SqlApiResponse actual, Recording expected)
    {
        ((int)actual.Status).Should().Be(expected.Status, actual.Body);
        actual.Keys.Should().Equal(expected.Keys);
        actual.Header("Content-Type").Should().Be(expected.Headers["Content-Type"]);
        actual.Header("Vary").Should().Be(expected.Headers["Vary"]);
        if (expected.Body.TryGetProperty("code", out var code))
        {
            actual.Code.Should().Be(code.GetString());
        }

        if (expected.Body.TryGetProperty("sqlState", out var sqlState))
        {
            actual.Json.GetProperty("sqlState").GetString().Should().Be(sqlState.GetString());
        }
    }

    [Fact]
    public async Task A_table_select_has_the_recorded_result_shape_rowType_fields_headers_and_values()
    {
        var recording = Load("026");
        await using var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync("""
            CREATE TABLE "DBIMP_IT_TYPES" ("I" numeric(38,0), "N" numeric(10,2), "F" float8, "S" text, "B" bytea, "BO" boolean, "D" date,
                "TM" time, "TN" timestamp, "TZ" timestamptz, "V" jsonb);
            INSERT INTO "DBIMP_IT_TYPES" VALUES (12345678901234567890123456789012345678, 12345678.91, 1.5, 'héllo', '\xdeadbeef', true, '2026-10-09',
                '12:34:56.123456', '2026-10-09 12:34:56.123456', '2026-10-09 12:34:56.123456+07', '{"a": 1}'), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """);

        var actual = await server.SubmitAsync("""SELECT * FROM "DBIMP_IT_TYPES" ORDER BY "I" NULLS LAST""", extra: new { parameters = new { TIMEZONE = "Asia/Jakarta" } });

        ShouldMatchShape(actual, recording);
        var expectedMeta = recording.Body.GetProperty("resultSetMetaData");
        var actualMeta = actual.Json.GetProperty("resultSetMetaData");
        Names(actualMeta).Should().Equal(Names(expectedMeta));
        Names(actualMeta.GetProperty("partitionInfo")[0]).Should().Equal(Names(expectedMeta.GetProperty("partitionInfo")[0]));
        var expectedColumns = expectedMeta.GetProperty("rowType").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        foreach (var column in actualMeta.GetProperty("rowType").EnumerateArray())
        {
            var name = column.GetProperty("name").GetString()!;
            var expected = expectedColumns[name];
            Names(column).Should().Equal(Names(expected), $"column {name} has the recorded rowType fields");
            foreach (var field in new[] { "type", "precision", "scale", "length", "byteLength", "nullable", "collation" })
            {
                column.GetProperty(field).GetRawText().Should().Be(expected.GetProperty(field).GetRawText(), $"{name}.{field}");
            }
        }

        var expectedRow = recording.Body.GetProperty("data")[0].EnumerateArray().Select(v => v.GetString()).ToArray();
        var actualRow = actual.Rows[0];
        // PostgreSQL keeps microseconds, Snowflake nanoseconds: compare times to the microsecond.
        static string? Micro(string? text) => text is null ? null : System.Text.RegularExpressions.Regex.Replace(text, @"\.(\d{6})\d{3}", ".$1");
        actualRow.Select(Micro).Should().Equal(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11 }.Select(i => Micro(expectedRow[i])));
        actual.Rows[1].Should().OnlyContain(v => v == null);
        actual.Header("Link").Should().MatchRegex("^</api/v2/statements/[0-9a-f-]+\\?requestId=[0-9a-f-]+&partition=0>; rel=\"first\",</api/v2/statements/[0-9a-f-]+\\?requestId=[0-9a-f-]+&partition=0>; rel=\"last\"$");
        actual.Json.GetProperty("statementStatusUrl").GetString().Should().Be($"/api/v2/statements/{actual.Handle}?requestId={actual.Json.GetProperty("requestId").GetString()}");
    }

    [Fact]
    public async Task Variant_values_are_the_recorded_pretty_printed_json()
    {
        var recording = Load("034");
        await using var server = await EmulatorTestServer.StartAsync();

        var actual = await server.SubmitAsync("""SELECT '1'::jsonb, '"s"'::jsonb, 'null'::jsonb, '[1,{"a":2}]'::jsonb, '{"a":[1,2]}'::jsonb""");

        ShouldMatchShape(actual, recording);
        actual.Rows[0].Should().Equal(recording.Body.GetProperty("data")[0].EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("062", "SELEC 1")]
    [InlineData("063", "SELECT * FROM dbimp_it_nosuch")]
    [InlineData("086", "SELECT 1; SELECT 2")]
    public async Task Failed_statements_have_the_recorded_error_shape(string number, string statement)
    {
        await using var server = await EmulatorTestServer.StartAsync();

        ShouldMatchShape(await server.SubmitAsync(statement), Load(number));
    }

    [Fact]
    public async Task Request_errors_have_the_recorded_shapes()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        var result = await server.SubmitAsync("SELECT g FROM generate_series(1, 3) g");

        ShouldMatchShape(await server.SubmitRawAsync("""{"timeout":60}"""), Load("068"));
        ShouldMatchShape(await server.GetAsync("00000000-0000-0000-0000-000000000000"), Load("069"));
        ShouldMatchShape(await server.GetAsync(result.Handle, "partition=9"), Load("059"));
    }

    [Fact]
    public async Task Async_polling_and_cancel_have_the_recorded_shapes()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var submitted = await server.SubmitAsync("SELECT SYSTEM$WAIT(20)", "async=true");
        ShouldMatchShape(submitted, Load("071"));
        ShouldMatchShape(await server.GetAsync(submitted.Handle), Load("072"));
        var canceled = await server.CancelAsync(submitted.Handle);
        ShouldMatchShape(canceled, Load("073"));
        canceled.Json.GetProperty("statementStatusUrl").GetString().Should().Be($"/api/statements/{submitted.Handle}");
        ShouldMatchShape(await server.GetAsync(submitted.Handle), Load("074"));
    }

    [Fact]
    public async Task Multi_statement_and_retry_results_have_the_recorded_shapes()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        var requestId = Guid.NewGuid().ToString();

        var multi = await server.SubmitAsync("SELECT 1; SELECT 2", extra: new { parameters = new { MULTI_STATEMENT_COUNT = "2" } });
        var retry = await server.SubmitAsync("SELECT 1", $"requestId={requestId}&retry=true");

        ShouldMatchShape(multi, Load("087"));
        var multiColumn = multi.Json.GetProperty("resultSetMetaData").GetProperty("rowType")[0];
        var recordedMultiColumn = Load("087").Body.GetProperty("resultSetMetaData").GetProperty("rowType")[0];
        foreach (var field in new[] { "name", "type", "length", "byteLength", "nullable" })
        {
            multiColumn.GetProperty(field).GetRawText().Should().Be(recordedMultiColumn.GetProperty(field).GetRawText());
        }

        ShouldMatchShape(retry, Load("144"));
        retry.Json.GetProperty("requestId").GetString().Should().Be(requestId);
    }

    [Fact]
    public async Task An_invalid_jwt_has_the_recorded_401_shape()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        await using var server = await EmulatorTestServer.StartAsync(o => o with { PublicKeyPems = [key.ExportSubjectPublicKeyInfoPem()] });

        var actual = await server.SubmitAsync("SELECT 1", configure: r => r.Headers.Authorization = new("Bearer", "not.a.jwt"));

        ShouldMatchShape(actual, Load("078"));
        actual.Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static List<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();
}
