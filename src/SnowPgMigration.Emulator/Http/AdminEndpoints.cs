using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SnowPgMigration.Emulator.Faults;
using SnowPgMigration.Emulator.Statements;

namespace SnowPgMigration.Emulator.Http;

/// <summary>
/// <c>/_emulator/stats</c> (GET) and <c>/_emulator/faults</c> (GET the rules, POST
/// <c>{"spec":"429:every=2"}</c> to replace them, DELETE to clear) and <c>/_emulator/storage</c> (GET, or POST
/// <c>{"azureBlobEndpoint":"http://127.0.0.1:10000"}</c>: where COPY INTO writes): the test-side controls, not part
/// of Snowflake's API, and exempt from faults.
/// </summary>
internal sealed class AdminEndpoints(FaultInjector injector, EmulatorStats stats, StatementRegistry registry, UnloadStorage storage)
{
    public const string Prefix = "/_emulator";

    public Task StatsAsync(HttpContext context)
    {
        var snapshot = new Dictionary<string, long>(stats.Snapshot())
        {
            ["statementsRunning"] = registry.Running.Count(),
            ["statementsKept"] = registry.Count,
        };
        return WriteAsync(context, 200, snapshot);
    }

    public Task GetFaultsAsync(HttpContext context) => WriteAsync(context, 200, Describe());

    public async Task SetFaultsAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var spec = document.RootElement.TryGetProperty("spec", out var value) ? value.GetString() : null;
            injector.Replace(FaultRule.ParseSpec(spec));
            await WriteAsync(context, 200, Describe());
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            await WriteAsync(context, 400, new { message = $"Send {{\"spec\":\"429:every=5:retry-after=1,cut:every=9\"}}. {error.Message}" });
        }
    }

    public Task ClearFaultsAsync(HttpContext context)
    {
        injector.Replace([]);
        return WriteAsync(context, 200, Describe());
    }

    public Task GetStorageAsync(HttpContext context) => WriteAsync(context, 200, new { azureBlobEndpoint = storage.AzureBlobEndpoint });

    public async Task SetStorageAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var endpoint = document.RootElement.TryGetProperty("azureBlobEndpoint", out var value) ? value.GetString() : null;
            if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                throw new FormatException($"'{endpoint}' is not an http or https URL.");
            }

            storage.AzureBlobEndpoint = endpoint;
            await GetStorageAsync(context);
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            await WriteAsync(context, 400, new { message = $"Send {{\"azureBlobEndpoint\":\"http://127.0.0.1:10000\"}} (null refuses unloads). {error.Message}" });
        }
    }

    private object Describe()
    {
        var rules = injector.Describe();
        return new
        {
            spec = string.Join(',', rules.Select(r => r.Rule.ToString())),
            rules = rules.Select(r => new { rule = r.Rule.ToString(), seen = r.Seen, injected = r.Injected }),
        };
    }

    private static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
