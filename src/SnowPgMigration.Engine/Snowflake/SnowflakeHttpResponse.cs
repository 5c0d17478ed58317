using System.Net;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>A whole SQL API answer: status, the one header retries care about, and the (inflated) body.</summary>
internal sealed record SnowflakeHttpResponse(HttpStatusCode Status, TimeSpan? RetryAfter, byte[] Body)
{
    public int StatusCode => (int)Status;
}
