using System.Globalization;
using Microsoft.AspNetCore.Http;
using SnowPgMigration.Emulator.Statements;

namespace SnowPgMigration.Emulator.Http;

/// <summary>
/// The three SQL API operations: submit (<c>POST /api/v2/statements</c>), status and partitions
/// (<c>GET /api/v2/statements/{handle}[?partition=N]</c>) and cancel
/// (<c>POST /api/v2/statements/{handle}/cancel</c>).
/// </summary>
internal sealed class StatementEndpoints
{
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);

    private readonly EmulatorOptions _options;
    private readonly StatementRegistry _registry;
    private readonly StatementExecutor _executor;
    private readonly EmulatorStats _stats;

    public StatementEndpoints(EmulatorOptions options, StatementRegistry registry, StatementExecutor executor, EmulatorStats stats)
    {
        _options = options;
        _registry = registry;
        _executor = executor;
        _stats = stats;
    }

    public async Task SubmitAsync(HttpContext context)
    {
        Interlocked.Increment(ref _stats.SubmitRequests);
        var query = context.Request.Query;
        var requestId = query["requestId"].FirstOrDefault();
        var async = IsTrue(query["async"]);
        var retry = IsTrue(query["retry"]);
        var nullAsString = string.Equals(query["nullable"].FirstOrDefault(), "false", StringComparison.OrdinalIgnoreCase);

        if (context.Request.ContentType is not { } contentType || !contentType.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            // The live service answers a non-JSON body with its servlet container's error, not a Snowflake code.
            var body = System.Text.Encoding.UTF8.GetBytes(
                $"{{\"servlet\":\"com.snowflake.resources.application.SnowflakeApplication\",\"message\":\"Bad Request\",\"url\":\"{SnowflakeResponses.StatementsPath}\",\"status\":\"400\"}}");
            await SnowflakeResponses.SendAsync(context, 400, body, SnowflakeResponses.ErrorVary);
            return;
        }

        if (retry && requestId is not null && _registry.FindByRequestId(requestId) is { } earlier)
        {
            // Idempotent resubmission: answer with the statement already submitted, never run it again.
            Interlocked.Increment(ref _stats.IdempotentReplays);
            await RespondAsync(context, earlier, async);
            return;
        }

        using var bodyBuffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(bodyBuffer, context.RequestAborted);
        StatementRequest? request;
        try
        {
            request = StatementRequest.Parse(bodyBuffer.ToArray(), nullAsString);
        }
        catch (SnowflakeErrorException error)
        {
            await SnowflakeResponses.SendErrorAsync(context, error.Error, null);
            return;
        }

        if (request is null)
        {
            await SnowflakeResponses.SendErrorAsync(context, SnowflakeError.InvalidPayload, null);
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Statement) || SqlText.Split(request.Statement).Count == 0)
        {
            await SnowflakeResponses.SendErrorAsync(context, SnowflakeError.EmptyStatement, null);
            return;
        }

        _registry.RemoveExpired();
        var statement = new EmulatedStatement(requestId ?? Guid.NewGuid().ToString("D"));
        _registry.Add(statement);
        Interlocked.Increment(ref _stats.StatementsSubmitted);
        _ = Task.Run(() => _executor.RunAsync(statement, request));
        await RespondAsync(context, statement, async);
    }

    public async Task GetAsync(HttpContext context, string handle)
    {
        Interlocked.Increment(ref _stats.FetchRequests);
        var statement = _registry.Find(handle);
        if (statement is null)
        {
            await SnowflakeResponses.SendErrorAsync(context, SnowflakeError.NotFound(handle), handle);
            return;
        }

        if (!statement.IsFinished)
        {
            await SnowflakeResponses.SendAsync(context, 202, SnowflakeResponses.InProgress(statement.Handle), SnowflakeResponses.ResultVary);
            return;
        }

        if (statement.Result is not { } result)
        {
            await SnowflakeResponses.SendErrorAsync(context, AsPollError(statement.Error!), statement.Handle);
            return;
        }

        var partitionText = context.Request.Query["partition"].FirstOrDefault();
        var partition = 0;
        if (partitionText is not null
            && (!int.TryParse(partitionText, NumberStyles.None, CultureInfo.InvariantCulture, out partition) || partition >= result.Partitions.Count))
        {
            await SnowflakeResponses.SendErrorAsync(context, SnowflakeError.InvalidPartition(result.Partitions.Count - 1, partitionText), statement.Handle);
            return;
        }

        var link = SnowflakeResponses.Link(statement.Handle, partition, result.Partitions.Count);
        if (partition == 0)
        {
            await SnowflakeResponses.SendResultAsync(context, statement, result, link);
            return;
        }

        // Later partitions are always gzip, whatever the client asked for, as the live service sends them.
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.ContentEncoding = "gzip";
        response.Headers.Vary = SnowflakeResponses.ResultVary;
        response.Headers.Link = link;
        response.ContentLength = result.Partitions[partition].CompressedSize;
        await using var file = result.OpenGzipPartition(partition);
        await file.CopyToAsync(response.Body, context.RequestAborted);
    }

    public async Task CancelAsync(HttpContext context, string handle)
    {
        Interlocked.Increment(ref _stats.CancelRequests);
        var statement = _registry.Find(handle);
        if (statement is null)
        {
            await SnowflakeResponses.SendErrorAsync(context, SnowflakeError.NotFound(handle), handle);
            return;
        }

        statement.RequestCancel();
        // Answer once PostgreSQL has really stopped, so "canceled" means the query is gone.
        await Task.WhenAny(statement.Finished, Task.Delay(CancelWait, context.RequestAborted));
        await SnowflakeResponses.SendAsync(context, 200, SnowflakeResponses.Canceled(statement.Handle), SnowflakeResponses.ResultVary);
    }

    private async Task RespondAsync(HttpContext context, EmulatedStatement statement, bool async)
    {
        if (!async && !statement.IsFinished)
        {
            try
            {
                await Task.WhenAny(statement.Finished, Task.Delay(_options.AsyncThreshold, context.RequestAborted));
            }
            catch (OperationCanceledException)
            {
                return; // the client went away; the statement keeps running and can be polled
            }
        }

        if (!statement.IsFinished)
        {
            await SnowflakeResponses.SendAsync(context, 202, SnowflakeResponses.InProgress(statement.Handle), SnowflakeResponses.ResultVary);
        }
        else if (statement.Result is { } result)
        {
            var link = SnowflakeResponses.Link(statement.Handle, 0, result.Partitions.Count);
            await SnowflakeResponses.SendResultAsync(context, statement, result, link);
        }
        else
        {
            await SnowflakeResponses.SendErrorAsync(context, statement.Error!, statement.Handle);
        }
    }

    /// <summary>A timed-out statement polled later is a failed statement (422) with the same code.</summary>
    private static SnowflakeError AsPollError(SnowflakeError error) => error.HttpStatus == 408 ? error with { HttpStatus = 422 } : error;

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) =>
        string.Equals(value.FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);
}
