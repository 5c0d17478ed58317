using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SnowPgMigration.Emulator.Faults;
using SnowPgMigration.Emulator.Statements;

namespace SnowPgMigration.Emulator.Http;

/// <summary>
/// <c>/_emulator/stats</c> (GET) and <c>/_emulator/faults</c> (GET the rules, POST
/// <c>{"spec":"429:every=2"}</c> to replace them, DELETE to clear): the test-side controls, not part
/// of Snowflake's API, and exempt from authentication and faults.
/// </summary>
internal sealed class AdminEndpoints(FaultInjector injector, EmulatorStats stats, StatementRegistry registry)
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
