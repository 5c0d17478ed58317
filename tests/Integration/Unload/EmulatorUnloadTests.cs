using System.IO.Compression;
using System.Net;
using System.Text;
using SnowPgMigration.Engine.Unload;
using SnowPgMigration.LocalAzurite;
using SnowPgMigration.Tests.Integration.Emulator;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>
/// The emulated SQL API's <c>COPY INTO 'azure://…'</c> on the wire: Snowflake's answer shapes, the bytes of the
/// files it writes into Azurite, and refusals of what it does not implement.
/// </summary>
public sealed class EmulatorUnloadTests
{
    private static readonly HttpClient Http = new();

    private const string Table = """
        CREATE TABLE t (id int, s text, n text, e text, bin bytea, tstz timestamptz, v jsonb, f double precision, b boolean);
        INSERT INTO t VALUES (1, 'a "b", c', NULL, '', '\x00ff', '2024-01-02 03:04:05.5+00', '{"k":1}', 'Infinity', true),
                             (2, E'two\nlines', '\N', 'x', NULL, '1999-12-31 23:00:00-05:30', '[1]', 0.1, false);
        """;

    [Fact]
    public async Task Detailed_output_names_each_file_and_the_file_holds_exactly_the_requested_csv()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var blobs = await azurite.ClientAsync(Http, "unload");
        await using var server = await EmulatorTestServer.StartAsync(o => o with { AzureBlobEndpoint = $"http://127.0.0.1:{azurite.Port}" });
        await server.PgAsync(Table);
        var location = BlobStageLocation.Parse($"azure://{AzuriteServer.Account}.blob.core.windows.net/unload/run1/t/0", azurite.Endpoint);

        var response = await server.SubmitAsync(UnloadStatementBuilder.Build(location, "SELECT * FROM t ORDER BY id", UnloadCredential.FromSas(AzuriteServer.Sas()), 16 * 1024 * 1024));

        response.Status.Should().Be(HttpStatusCode.OK, response.Body);
        new[] { "FILE_NAME", "FILE_SIZE", "ROW_COUNT" }.Select(c => response.Column(c).GetProperty("type").GetString()).Should().Equal("text", "fixed", "fixed");
        var row = response.Rows.Should().ContainSingle().Subject;
        row[0].Should().Be("data_0_0_0.csv.gz");
        row[2].Should().Be("2");
        var blob = (await blobs.ListAsync("run1/t/0/", CancellationToken.None)).Should().ContainSingle().Subject;
        blob.Name.Should().Be("run1/t/0/data_0_0_0.csv.gz");
        blob.Size.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(row[1]);

        await using var gzip = new GZipStream(blobs.OpenRead(blob), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        (await reader.ReadToEndAsync()).Should().Be(
            "1,\"a \"\"b\"\", c\",\\N,\"\",00FF,2024-01-02 03:04:05.500000000 +00:00,\"{\"\"k\"\": 1}\",inf,true\n"
            + "2,\"two\nlines\",\"\\N\",\"x\",\\N,2000-01-01 04:30:00.000000000 +00:00,\"[1]\",0.1,false\n");
    }

    [Fact]
    public async Task Without_detailed_output_the_answer_is_the_totals()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await azurite.ClientAsync(Http, "unload");
        await using var server = await EmulatorTestServer.StartAsync(o => o with { AzureBlobEndpoint = $"http://127.0.0.1:{azurite.Port}" });
        await server.PgAsync(Table);

        var response = await server.SubmitAsync(
            $"COPY INTO 'azure://{AzuriteServer.Account}.blob.core.windows.net/unload/x/' FROM (SELECT id FROM t) CREDENTIALS=(AZURE_SAS_TOKEN='{AzuriteServer.Sas().Value}') FILE_FORMAT=(TYPE=CSV COMPRESSION=GZIP)");

        response.Status.Should().Be(HttpStatusCode.OK, response.Body);
        response.Rows.Should().ContainSingle().Which[0].Should().Be("2");
        response.Column("rows_unloaded").GetProperty("type").GetString().Should().Be("fixed");
    }

    [Fact]
    public async Task A_file_format_the_emulator_does_not_write_is_refused_by_name()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { AzureBlobEndpoint = "http://127.0.0.1:9" });
        await server.PgAsync(Table);

        var response = await server.SubmitAsync(
            "COPY INTO 'azure://acct.blob.core.windows.net/unload/x/' FROM (SELECT id FROM t) CREDENTIALS=(AZURE_SAS_TOKEN='sv=1&sig=abc') FILE_FORMAT=(TYPE=PARQUET)");

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Code.Should().Be("002019");
        response.Json.GetProperty("message").GetString().Should().Contain("TYPE=PARQUET");
    }

    [Fact]
    public async Task An_emulator_started_without_storage_writes_files_once_it_is_pointed_at_azurite()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var blobs = await azurite.ClientAsync(Http, "unload");
        await using var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync(Table);
        var location = BlobStageLocation.Parse($"azure://{AzuriteServer.Account}.blob.core.windows.net/unload/late/t/0", azurite.Endpoint);
        var statement = UnloadStatementBuilder.Build(location, "SELECT id FROM t", UnloadCredential.FromSas(AzuriteServer.Sas()), 16 * 1024 * 1024);

        var refused = await server.SubmitAsync(statement);
        refused.Status.Should().Be(HttpStatusCode.UnprocessableEntity, "no storage emulator is configured yet");
        (await blobs.ListAsync("late/", CancellationToken.None)).Should().BeEmpty();

        using var point = new HttpRequestMessage(HttpMethod.Post, "_emulator/storage") { Content = new StringContent($$"""{"azureBlobEndpoint":"http://127.0.0.1:{{azurite.Port}}"}""") };
        var set = await server.SendAsync(point);
        set.Status.Should().Be(HttpStatusCode.OK, set.Body);
        set.Json.GetProperty("azureBlobEndpoint").GetString().Should().Be($"http://127.0.0.1:{azurite.Port}");
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "_emulator/storage") { Content = new StringContent("""{"azureBlobEndpoint":"ftp://x"}""") };
        (await server.SendAsync(wrong)).Status.Should().Be(HttpStatusCode.BadRequest);

        var unloaded = await server.SubmitAsync(statement);

        unloaded.Status.Should().Be(HttpStatusCode.OK, unloaded.Body);
        unloaded.Rows.Should().ContainSingle().Which[2].Should().Be("2");
        (await blobs.ListAsync("late/", CancellationToken.None)).Select(b => b.Name).Should().Equal("late/t/0/data_0_0_0.csv.gz");
    }

    [Fact]
    public async Task A_sas_storage_refuses_fails_the_statement_without_echoing_the_token()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await azurite.ClientAsync(Http, "unload");
        await using var server = await EmulatorTestServer.StartAsync(o => o with { AzureBlobEndpoint = $"http://127.0.0.1:{azurite.Port}" });
        await server.PgAsync(Table);
        var forged = AccountSasSigner.Create(AzuriteServer.Account, Convert.ToBase64String(new byte[64]), DateTimeOffset.UtcNow.AddHours(1));
        var location = BlobStageLocation.Parse($"azure://{AzuriteServer.Account}.blob.core.windows.net/unload/y", azurite.Endpoint);

        var response = await server.SubmitAsync(UnloadStatementBuilder.Build(location, "SELECT id FROM t", UnloadCredential.FromSas(forged), 16 * 1024 * 1024));

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Json.GetProperty("message").GetString().Should().Contain("HTTP 403").And.NotContain("sig=");
    }
}
