using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// The PostgreSQL role statements run as. Each emulator creates its own login role, with no superuser,
/// CREATEDB, CREATEROLE, replication or row-level-security bypass, and grants it only <c>USAGE</c> on
/// schemas and <c>SELECT</c> on tables and views; every session it opens is read-only by default.
/// <c>COPY ... TO PROGRAM</c>, server file functions, DDL and DML are therefore refused by PostgreSQL
/// itself, and a statement cannot switch back, since the session user is this role (no
/// <c>RESET ROLE</c> to a superuser). Objects created after start-up are granted on the first request
/// that finds them ungranted. The role is dropped when the emulator stops.
/// </summary>
internal sealed class ReaderRole : IAsyncDisposable
{
    private const string NamePrefix = "sfpg_emulator_";

    // One lock key for every emulator on the server, so grants and revokes on the same tables never race.
    private const long GrantLockKey = 0x5f70_6765_6d75_6c;

    private static readonly string SchemasOfUsers =
        "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";

    private readonly string _adminConnectionString;
    private readonly string _password;
    private readonly ConcurrentDictionary<string, byte> _grantedDatabases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _grantGate = new(1, 1);

    private ReaderRole(string adminConnectionString, string name, string password)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        _password = password;
    }

    /// <summary>The role's name, <c>sfpg_emulator_</c> and 12 random hex digits.</summary>
    public string Name { get; }

    /// <summary>Creates the role with the connection string's user, which must be able to create roles.</summary>
    /// <exception cref="ArgumentException">That user cannot create the role (the message says what it needs).</exception>
    public static async Task<ReaderRole> CreateAsync(string adminConnectionString, CancellationToken cancellationToken)
    {
        var name = NamePrefix + RandomNumberGenerator.GetHexString(12, lowercase: true);
        var password = RandomNumberGenerator.GetHexString(40, lowercase: true);
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString(adminConnectionString, null));
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Only the SCRAM verifier reaches the server, so no log of the server shows the password.
            await using var command = new NpgsqlCommand(
                $"CREATE ROLE {Quote(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                + $"CONNECTION LIMIT -1 PASSWORD '{ScramVerifier(password)}'",
                connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException error) when (error.SqlState == "42501")
        {
            throw new ArgumentException(
                $"The PostgreSQL user of --pg cannot create the emulator's read-only role ({error.MessageText}); connect as a superuser or a user with CREATEROLE.",
                nameof(adminConnectionString), error);
        }
        catch (NpgsqlException error)
        {
            throw new ArgumentException($"The PostgreSQL server of --pg cannot be reached: {error.Message}", nameof(adminConnectionString), error);
        }

        return new ReaderRole(adminConnectionString, name, password);
    }

    /// <summary>A connection string to <paramref name="database"/> as this role, read-only by default.</summary>
    public string ConnectionString(string database, string applicationName)
    {
        var builder = new NpgsqlConnectionStringBuilder(_adminConnectionString)
        {
            Database = database,
            Username = Name,
            Password = _password,
            Passfile = null,
            ApplicationName = applicationName,
        };
        builder.Options = ((builder.Options ?? "") + " -c default_transaction_read_only=on").Trim();
        return builder.ConnectionString;
    }

    /// <summary>
    /// Grants the role <c>USAGE</c> and <c>SELECT</c> on whatever in the connection's database it cannot
    /// read yet. The check runs as the role; the grants, when needed, as the administrator.
    /// </summary>
    public async Task GrantMissingAsync(NpgsqlConnection reader, string database, CancellationToken cancellationToken)
    {
        await using (var check = new NpgsqlCommand(
            $"""
            SELECT EXISTS (SELECT 1 FROM pg_namespace n WHERE {SchemasOfUsers} AND NOT has_schema_privilege(n.oid, 'USAGE'))
                OR EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE {SchemasOfUsers} AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT has_table_privilege(c.oid, 'SELECT'))
            """,
            reader))
        {
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return;
            }
        }

        await _grantGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _grantedDatabases.TryAdd(database, 0);
            await using var admin = new NpgsqlConnection(AdminConnectionString(_adminConnectionString, database));
            await admin.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await admin.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var grant = new NpgsqlCommand(
                $"""
                SELECT pg_advisory_xact_lock({GrantLockKey});
                DO $grant$
                DECLARE item record;
                BEGIN
                  FOR item IN SELECT n.nspname FROM pg_namespace n
                              WHERE {SchemasOfUsers} AND NOT has_schema_privilege('{Name}', n.oid, 'USAGE') LOOP
                    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', item.nspname, '{Name}');
                  END LOOP;
                  FOR item IN SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE {SchemasOfUsers} AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                                AND NOT has_table_privilege('{Name}', c.oid, 'SELECT') LOOP
                    EXECUTE format('GRANT SELECT ON TABLE %I.%I TO %I', item.nspname, item.relname, '{Name}');
                  END LOOP;
                END
                $grant$;
                """,
                admin,
                transaction);
            await grant.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _grantGate.Release();
        }
    }

    /// <summary>Revokes the grants in every database that has them, then drops the role. Best effort.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var database in _grantedDatabases.Keys)
        {
            await AdminBestEffortAsync(database, $"SELECT pg_advisory_xact_lock({GrantLockKey}); DROP OWNED BY {Quote(Name)};").ConfigureAwait(false);
        }

        await AdminBestEffortAsync(null, $"DROP ROLE IF EXISTS {Quote(Name)}").ConfigureAwait(false);
        _grantGate.Dispose();
    }

    private async Task AdminBestEffortAsync(string? database, string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString(_adminConnectionString, database));
            await connection.OpenAsync().ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The database may be gone, or the server stopped before the emulator: nothing is left to revoke.
        }
    }

    /// <summary>The administrator's rare connections (create, grant, drop) are not pooled, so none stays open idle per database.</summary>
    private static string AdminConnectionString(string adminConnectionString, string? database)
    {
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false };
        if (database is not null)
        {
            builder.Database = database;
        }

        return builder.ConnectionString;
    }

    /// <summary>PostgreSQL's SCRAM-SHA-256 password verifier (RFC 5802 and 7677, 4096 iterations).</summary>
    private static string ScramVerifier(string password)
    {
        const int iterations = 4096;
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
