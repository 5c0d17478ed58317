using System.Globalization;
using System.Net;
using System.Text;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>Turns an unsuccessful SQL API answer into a catalogued <see cref="SnowflakeException"/>.</summary>
internal static class SnowflakeErrors
{
    private const string CanceledCode = "000604";
    private const string TimeoutCode = "000630";
    private const string RoleNotGrantedCode = "390186";

    /// <summary>
    /// Codes of the 390xxx family that mean the request was not authenticated or not authorised
    /// (390144 invalid JWT, 390303 invalid OAuth token, 390146 no token, 390186 role not granted...).
    /// </summary>
    public static bool IsAuthenticationCode(string? code) =>
        code is not null && code.Length == 6 && code.StartsWith("390", StringComparison.Ordinal)
        && code is not "390505" and not "390142";

    public static SnowflakeException FromResponse(SnowflakeHttpResponse response, SnowflakeTokenSource tokens, string? knownHandle)
    {
        var body = SnowflakeResponseBody.TryParse(response.Body.Memory);
        var code = body?.Code;
        var sqlState = body?.SqlState;
        var handle = body?.StatementHandle ?? knownHandle;
        var status = response.StatusCode;
        var snowflakeMessage = body?.Message ?? ShortText(response.Body.Memory.Span);
        var said = DescribeAnswer(status, code, sqlState, snowflakeMessage, handle);

        if (response.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || IsAuthenticationCode(code))
        {
            var hint = code == RoleNotGrantedCode
                ? "Check snowflake.role: the role must be granted to snowflake.user (or leave role unset to use the user's default role)."
                : tokens.RejectionHint;
            return new SnowflakeException(
                ErrorCatalog.SnowflakeAuthenticationFailed,
                $"Snowflake refused the request: {said} {hint}",
                code, sqlState, handle, status, hint);
        }

        if (code == TimeoutCode || response.Status == HttpStatusCode.RequestTimeout)
        {
            return new SnowflakeException(ErrorCatalog.SnowflakeStatementTimedOut, $"Snowflake canceled the statement at its timeout: {said}", code, sqlState, handle, status);
        }

        if (code == CanceledCode)
        {
            return new SnowflakeException(ErrorCatalog.SnowflakeStatementCanceled, $"The Snowflake statement was canceled: {said}", code, sqlState, handle, status);
        }

        if (status == 422)
        {
            return new SnowflakeException(ErrorCatalog.SnowflakeStatementFailed, $"Snowflake statement failed: {said}", code, sqlState, handle, status);
        }

        if (SnowflakeHttpTransport.IsRetriedStatus(response.Status) || status >= 500)
        {
            return new SnowflakeException(ErrorCatalog.SnowflakeUnavailable, $"Snowflake stayed unavailable: {said}", code, sqlState, handle, status);
        }

        return new SnowflakeException(ErrorCatalog.SnowflakeRequestRejected, $"Snowflake rejected the request: {said}", code, sqlState, handle, status);
    }

    public static SnowflakeException InvalidResponse(string what, string? handle, Exception? inner = null) =>
        new(ErrorCatalog.SnowflakeResponseInvalid, what + (handle is null ? string.Empty : $" (statement {handle})"), statementHandle: handle, innerException: inner);

    private static string DescribeAnswer(int status, string? code, string? sqlState, string? message, string? handle)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"HTTP {status}");
        if (code is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", code {code}");
        }

        if (sqlState is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", SQL state {sqlState}");
        }

        if (handle is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", statement {handle}");
        }

        text.Append(": ").Append(string.IsNullOrWhiteSpace(message) ? "(no message)" : message.Trim());
        if (text[^1] != '.')
        {
            text.Append('.');
        }

        return text.ToString();
    }

    private static string? ShortText(ReadOnlySpan<byte> body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]).Trim();
        return text.Length == 0 ? null : text;
    }
}
