namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode ConfigCleartextTransport = new(
        "SFPG1050", ErrorKind.InvalidArgument,
        "snowflake.scheme is http for a host that is not this machine",
        "Remove \"scheme\" (https is the default). Only a test endpoint may use http: on a loopback host (localhost, 127.0.0.1, ::1), " +
        "or elsewhere with \"allow_insecure_http\": true in the snowflake block, which sends the token or key-pair JWT unencrypted.");
}
