using System.Security.Cryptography;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Unload;
using SnowPgMigration.LocalAzurite;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>The Blob REST client against a real Azurite: listing, ranged reads, uploads, deletes and its SAS.</summary>
public sealed class AzureBlobClientTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Lists_reads_in_ranges_and_deletes_blobs_under_a_prefix()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var client = await azurite.ClientAsync(Http, "unload");
        var content = RandomNumberGenerator.GetBytes(300_001);
        await client.PutBlockBlobAsync("run/a/0/data_0_0_0.csv.gz", new MemoryStream(content), CancellationToken.None);
        await client.PutBlockBlobAsync("run/a/0/data_0_0_1.csv.gz", new MemoryStream([1, 2, 3]), CancellationToken.None);
        await client.PutBlockBlobAsync("run/b/0/data_0_0_0.csv.gz", new MemoryStream([4]), CancellationToken.None);

        var listed = await client.ListAsync("run/a/", CancellationToken.None);
        listed.Should().Equal(new BlobItem("run/a/0/data_0_0_0.csv.gz", 300_001), new BlobItem("run/a/0/data_0_0_1.csv.gz", 3));

        // 64 KiB ranges: the blob arrives in five GETs and must come back byte for byte.
        await using (var read = client.OpenRead(listed[0], rangeBytes: 64 * 1024))
        {
            var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            copy.ToArray().Should().Equal(content);
        }

        await client.DeleteAsync(listed[0].Name, CancellationToken.None);
        await client.DeleteAsync(listed[0].Name, CancellationToken.None);
        (await client.ListAsync("run/", CancellationToken.None)).Select(b => b.Name)
            .Should().Equal("run/a/0/data_0_0_1.csv.gz", "run/b/0/data_0_0_0.csv.gz");
    }

    [Fact]
    public async Task A_read_resumes_at_the_byte_it_reached_when_storage_restarts()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var client = await azurite.ClientAsync(Http, "unload");
        var content = RandomNumberGenerator.GetBytes(200_000);
        await client.PutBlockBlobAsync("f.bin", new MemoryStream(content), CancellationToken.None);
        var blob = (await client.ListAsync("f", CancellationToken.None)).Single();

        await using var read = client.OpenRead(blob, rangeBytes: 50_000, attemptsPerRange: 20);
        var copy = new MemoryStream();
        var buffer = new byte[70_000];
        copy.Write(buffer, 0, await read.ReadAtLeastAsync(buffer, 70_000));
        await azurite.RestartAsync();
        await read.CopyToAsync(copy);

        copy.ToArray().Should().Equal(content);
    }

    [Fact]
    public async Task A_wrong_signature_is_refused_and_the_message_never_shows_the_token()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await azurite.ClientAsync(Http, "unload");
        var stage = BlobStageLocation.Parse($"azure://{AzuriteServer.Account}.blob.core.windows.net/unload/p", azurite.Endpoint);
        var wrongKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var sas = AccountSasSigner.Create(AzuriteServer.Account, wrongKey, DateTimeOffset.UtcNow.AddHours(1));
        var client = new AzureBlobClient(Http, stage, sas);

        var error = await FluentActions.Awaiting(() => client.ListAsync("p/", CancellationToken.None)).Should().ThrowAsync<SfPgException>();

        error.Which.Error.Should().Be(ErrorCatalog.BlobAccessDenied);
        error.Which.Message.Should().Contain("'unload/p/'").And.NotContain("sig=").And.NotContain(sas.Value.Split("sig=")[1]);
        sas.ToString().Should().Be("***");
    }

    [Fact]
    public async Task An_unreachable_account_is_a_transient_failure_that_names_the_container_not_the_token()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var client = await azurite.ClientAsync(Http, "unload");
        await azurite.StopAsync();

        var error = await FluentActions.Awaiting(() => client.ListAsync("", CancellationToken.None)).Should().ThrowAsync<SfPgException>();

        error.Which.Error.Should().Be(ErrorCatalog.BlobRequestFailed);
        error.Which.Error.Transient.Should().BeTrue();
        error.Which.Message.Should().Contain("'unload'").And.NotContain("sig=");
    }
}
