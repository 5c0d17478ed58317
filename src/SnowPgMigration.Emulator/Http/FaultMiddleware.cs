using System.Globalization;
using Microsoft.AspNetCore.Http;
using SnowPgMigration.Emulator.Faults;
using SnowPgMigration.Emulator.Statements;

namespace SnowPgMigration.Emulator.Http;

/// <summary>
/// Injects the configured faults into SQL API requests: an error status instead of the answer, a
/// delay before it, or the answer cut off mid-body with the connection aborted.
/// </summary>
internal sealed class FaultMiddleware(FaultInjector injector, EmulatorStats stats, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var rule = injector.Decide(TargetOf(context.Request));
        if (rule is null)
        {
            await next(context);
            return;
        }

        Interlocked.Increment(ref stats.FaultsInjected);
        switch (rule.Kind)
        {
            case FaultKind.Slow:
                await Task.Delay(TimeSpan.FromMilliseconds(rule.DelayMilliseconds), clock, context.RequestAborted);
                await next(context);
                break;
            case FaultKind.Status when rule.StatusCode == 429:
                context.Response.Headers.RetryAfter = rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await SnowflakeResponses.SendAsync(context, 429, SnowflakeResponses.Error(SnowflakeError.TooManyRequests, null), SnowflakeResponses.ErrorVary, allowGzip: false);
                break;
            case FaultKind.Status:
                var body = System.Text.Encoding.UTF8.GetBytes(
                    $"{{\n  \"code\" : \"{rule.StatusCode}\",\n  \"message\" : \"Service temporarily unavailable (injected fault).\"\n}}");
                await SnowflakeResponses.SendAsync(context, rule.StatusCode, body, SnowflakeResponses.ErrorVary, allowGzip: false);
                break;
            case FaultKind.Cut:
                await CutAsync(context, next);
                break;
        }
    }

    /// <summary>Runs the request, then sends the headers and half of the body and aborts the connection.</summary>
    private static async Task CutAsync(HttpContext context, RequestDelegate next)
    {
        var realBody = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = realBody;
        }

        var length = (int)captured.Length;
        context.Response.ContentLength = length;
        if (length > 1)
        {
            await realBody.WriteAsync(captured.GetBuffer().AsMemory(0, length / 2), context.RequestAborted);
            await realBody.FlushAsync(context.RequestAborted);
        }

        context.Abort();
    }

    private static FaultTarget TargetOf(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) ? FaultTarget.Fetch
        : request.Path.Value?.EndsWith("/cancel", StringComparison.Ordinal) == true ? FaultTarget.Cancel
        : FaultTarget.Submit;
}
