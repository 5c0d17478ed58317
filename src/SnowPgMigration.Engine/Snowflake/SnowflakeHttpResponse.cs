using System.Net;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// A whole SQL API answer: status, the one header retries care about, and the (inflated) body in a pooled
/// buffer, which whoever keeps rows of it gives back (see <see cref="PooledResponseBody"/>).
/// </summary>
internal sealed record SnowflakeHttpResponse(HttpStatusCode Status, TimeSpan? RetryAfter, PooledResponseBody Body)
{
    public int StatusCode => (int)Status;
}
