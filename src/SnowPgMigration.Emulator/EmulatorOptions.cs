namespace SnowPgMigration.Emulator;

/// <summary>How an emulated Snowflake SQL API server is started.</summary>
public sealed record EmulatorOptions
{
    /// <summary>
    /// Connection string of the PostgreSQL server that stores the data. Snowflake database <c>X</c> is
    /// PostgreSQL database <c>X</c> on this server; the string's own database is used when a request
    /// names none. Its user must be able to create roles: statements run as a read-only role the emulator
    /// creates at start and drops when it stops.
    /// </summary>
    public required string PostgresConnectionString { get; init; }

    /// <summary>Address to listen on; loopback by default.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="EmulatorHost.BaseUri"/>).</summary>
    public int Port { get; init; }

    /// <summary>
    /// The account's TIMEZONE: the session time zone of a request whose parameters name none. Snowflake
    /// accounts default to America/Los_Angeles; UTC here unless a test plays an account set otherwise.
    /// </summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The account's TIMESTAMP_TYPE_MAPPING: what a bare <c>CAST(... AS TIMESTAMP)</c> means when a request does not say.</summary>
    public string TimestampTypeMapping { get; init; } = "TIMESTAMP_NTZ";

    /// <summary>Rows per result partition. Snowflake sizes partitions by bytes; a fixed count keeps tests predictable.</summary>
    public int PartitionRows { get; init; } = 10_000;

    /// <summary>
    /// Grow partitions as Snowflake does (its partitions of one result were 2,063, 4,682, 9,404 rows):
    /// partition i holds <see cref="PartitionRows"/> × 2^i rows, at most 8 times as many. Off by default
    /// so tests can predict partition sizes; on, it catches clients that assume equal partitions.
    /// </summary>
    public bool GrowingPartitions { get; init; }

    /// <summary>A partition is also closed when its JSON text reaches this many bytes, so wide rows stay bounded.</summary>
    public int PartitionMaxBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// A statement submitted without <c>async=true</c> that runs longer than this answers 202 and is
    /// polled. Snowflake waits 45 s.
    /// </summary>
    public TimeSpan AsyncThreshold { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>PEM files of RSA public keys whose key-pair JWTs are accepted.</summary>
    public IReadOnlyList<string> PublicKeyFiles { get; init; } = [];

    /// <summary>PEM texts of RSA public keys whose key-pair JWTs are accepted (in addition to the files).</summary>
    public IReadOnlyList<string> PublicKeyPems { get; init; } = [];

    /// <summary>Opaque bearer tokens accepted as OAuth or programmatic access tokens.</summary>
    public IReadOnlyList<string> AcceptedTokens { get; init; } = [];

    /// <summary>Fault-injection rules at start-up, e.g. <c>429:every=5:retry-after=1,cut:every=9</c>.</summary>
    public string? Faults { get; init; }

    /// <summary>The clock of injected delays; tests pass a fake one to decide when a slow answer comes.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long finished statements and their partitions stay readable.</summary>
    public TimeSpan ResultRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Where partitions after the first are spilled (gzip files); a temporary folder by default.</summary>
    public string? SpillDirectory { get; init; }

    /// <summary>Write warnings and errors (e.g. a failing request handler) to the console; off for in-process tests.</summary>
    public bool LogToConsole { get; init; }

    /// <summary>
    /// Where <c>COPY INTO 'azure://&lt;account&gt;.blob.core.windows.net/…'</c> writes its files instead of Azure:
    /// an Azure Storage emulator's blob endpoint (<c>http://127.0.0.1:10000</c>), addressed path-style with the
    /// account appended. Null: unloads are refused.
    /// </summary>
    public string? AzureBlobEndpoint { get; init; }

    /// <summary>True when no key or token is configured: any bearer token is accepted.</summary>
    public bool AcceptsAnyToken => PublicKeyFiles.Count == 0 && PublicKeyPems.Count == 0 && AcceptedTokens.Count == 0;
}
