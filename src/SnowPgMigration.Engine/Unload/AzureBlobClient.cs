using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// The Blob REST calls the unload path needs, on plain <see cref="HttpClient"/> (no Azure SDK, whose
/// Azure.Core clashes with Az.Accounts in a PowerShell session). The SAS is appended to each request URL
/// here and nowhere else; messages name the container and blob, never the URL.
/// </summary>
public sealed class AzureBlobClient(HttpClient http, BlobStageLocation stage, SasToken sas)
{
    private const string ApiVersion = "2021-08-06";

    public BlobStageLocation Stage => stage;

    /// <summary>Creates the stage's container; an existing container is fine.</summary>
    public async Task CreateContainerAsync(CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put, ContainerUri("restype=container"));
        using var response = await SendAsync(request, $"container '{stage.Container}'", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureSuccessAsync(response, $"create container '{stage.Container}'", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every blob whose name starts with <paramref name="prefix"/>, in name order.</summary>
    public async Task<IReadOnlyList<BlobItem>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var items = new List<BlobItem>();
        string? marker = null;
        do
        {
            var query = $"restype=container&comp=list&prefix={Uri.EscapeDataString(prefix)}"
                + (marker is null ? "" : $"&marker={Uri.EscapeDataString(marker)}");
            using var request = Request(HttpMethod.Get, ContainerUri(query));
            using var response = await SendAsync(request, $"list '{prefix}'", cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, $"list '{stage.Container}/{prefix}'", cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var document = await XDocument.LoadAsync(body, LoadOptions.None, cancellationToken).ConfigureAwait(false);
                foreach (var blob in document.Descendants("Blob"))
                {
                    var size = (long?)blob.Element("Properties")?.Element("Content-Length") ?? 0;
                    items.Add(new BlobItem((string)blob.Element("Name")!, size));
                }

                marker = document.Root?.Element("NextMarker")?.Value is { Length: > 0 } next ? next : null;
            }
        }
        while (marker is not null);

        return items;
    }

    /// <summary>
    /// Opens a blob for reading in ranged GETs of <paramref name="rangeBytes"/>: memory stays bounded whatever the
    /// blob's size, and a connection that drops mid-blob resumes at the byte it reached.
    /// </summary>
    public Stream OpenRead(BlobItem blob, int rangeBytes = 4 * 1024 * 1024, int attemptsPerRange = 5, TimeProvider? clock = null) =>
        new RangedBlobStream(this, blob, rangeBytes, attemptsPerRange, clock ?? TimeProvider.System);

    /// <summary>Uploads <paramref name="content"/> as one block blob, replacing any blob of that name.</summary>
    public async Task PutBlockBlobAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put, BlobUri(name));
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Content = new StreamContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendAsync(request, $"upload '{name}'", cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"upload '{stage.Container}/{name}'", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a blob; one already gone is fine, so a repeated clean-up succeeds.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Delete, BlobUri(name));
        using var response = await SendAsync(request, $"delete '{name}'", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, $"delete '{stage.Container}/{name}'", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One range of a blob; the caller reads and disposes the response.</summary>
    internal async Task<HttpResponseMessage> GetRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, BlobUri(name));
        request.Headers.Add("x-ms-range", $"bytes={offset}-{offset + length - 1}");
        var response = await SendAsync(request, $"read '{name}'", cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, $"read '{stage.Container}/{name}' at byte {offset}", cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Add("x-ms-version", ApiVersion);
        return request;
    }

    private Uri ContainerUri(string query) => new($"{stage.ServiceEndpoint.AbsoluteUri.TrimEnd('/')}/{stage.Container}?{query}&{sas.Value}");

    private Uri BlobUri(string name)
    {
        var path = string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
        return new Uri($"{stage.ServiceEndpoint.AbsoluteUri.TrimEnd('/')}/{stage.Container}/{path}?{sas.Value}");
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, string what, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // The exception's own message may carry the request URL, and so the SAS: it is not passed on.
            throw new SfPgException(ErrorCatalog.BlobRequestFailed,
                $"Azure Blob Storage at {stage.ServiceEndpoint.Host}:{stage.ServiceEndpoint.Port} could not be reached to {what} in container '{stage.Container}' ({ex.HttpRequestError}).",
                target: stage.Container, recommendedAction: null);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var code = response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;
        if (code is null)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            code = TryErrorCode(body);
        }

        var status = (int)response.StatusCode;
        var error = response.StatusCode == HttpStatusCode.Forbidden ? ErrorCatalog.BlobAccessDenied
            : status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests ? ErrorCatalog.BlobRequestFailed
            : ErrorCatalog.BlobRequestRejected;
        throw new SfPgException(error, $"Azure Blob Storage refused to {what}: HTTP {status} {code}.", target: stage.Container, recommendedAction: null);
    }

    private static string? TryErrorCode(string body)
    {
        try
        {
            return body.Length == 0 ? null : XDocument.Parse(body).Root?.Element("Code")?.Value;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }
}
