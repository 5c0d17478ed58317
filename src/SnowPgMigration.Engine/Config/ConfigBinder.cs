using System.Text.Json;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// Turns a parsed config document into the effective <see cref="MigrationConfig"/>, reporting every problem
/// on the way. Where a setting is wrong a placeholder stands in, so later checks still run; the loader
/// discards the result when any finding is an error.
/// </summary>
internal sealed class ConfigBinder
{
    private static readonly string[] Authenticators = ["SNOWFLAKE_JWT", "OAUTH", "PROGRAMMATIC_ACCESS_TOKEN"];

    private static readonly Dictionary<string, string> SslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = "Disable",
        ["allow"] = "Allow",
        ["prefer"] = "Prefer",
        ["require"] = "Require",
        ["verify-ca"] = "VerifyCA",
        ["verifyca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
        ["verifyfull"] = "VerifyFull",
    };

    private readonly ConfigDocumentReader _reader;
    private readonly bool _checkPrivateKey;

    /// <summary>Every table's target with its database, schema and JSON path, for checks across sources.</summary>
    private readonly List<(string Path, string Database, string Schema, TableConfig Table)> _targets = [];

    // Read from the root before the sources; their tables inherit it.
    private TableShapeDefaults _shapeDefaults = TableShapeDefaults.None;
    private ExtractMethod _defaultExtract = ExtractMethod.SqlApi;

    public ConfigBinder(ConfigDocumentReader reader, bool checkPrivateKey = false)
    {
        _reader = reader;
        _checkPrivateKey = checkPrivateKey;
    }

    public MigrationConfig? Bind(JsonElement document, string? requestedSource, string? sourcePath)
    {
        var root = _reader.AsObject(document, "", ConfigKeys.Root);
        if (root is null)
        {
            return null;
        }

        _ = root.String(ConfigKeys.EnvFile); // Already used by the loader; read here only for its type check.
        var snowflake = ReadSnowflake(root);
        var postgres = ReadPostgres(root);
        var parallelThreads = root.Int("parallel_threads", ConfigLimits.MinParallelThreads, ConfigLimits.MaxParallelThreads);
        var batchSize = root.Int("batch_size", ConfigLimits.MinBatchSize, ConfigLimits.MaxBatchSize);
        var retries = root.Int("max_retry_attempts", ConfigLimits.MinRetryAttempts, ConfigLimits.MaxRetryAttempts);
        var copyBatchSize = root.Int(ConfigKeys.BatchSizeCopyMode, ConfigLimits.MinBatchSize, ConfigLimits.MaxBatchSize);
        var deadlineBuffer = ReadDeadlineBuffer(root);
        var defaultInsertOnly = root.Bool(ConfigKeys.InsertOnlyMode) ?? false;
        _shapeDefaults = new TableShapeDefaults(root.Bool(ConfigKeys.CreateTarget) ?? false, TableBinder.ReadSchemaEvolution(_reader, root) ?? SchemaEvolution.None);
        var statusDatabase = NullIfEmpty(root.String(ConfigKeys.StatusTrackingDatabase)?.Trim());
        var defaultVerify = VerifySetting.Read(_reader, root, VerifySetting.Default);
        _defaultExtract = ExtractSetting.Read(_reader, root, ExtractMethod.SqlApi);
        var stage = StageBinder.Read(_reader, root);
        var sources = ReadSources(root, postgres?.Database, defaultInsertOnly, defaultVerify);
        CheckStatusTrackingDatabase(root, statusDatabase, sources);
        CheckSelection(root.PathOf("sources"), sources, requestedSource);
        CheckStageForUnload(root, stage, sources);

        return new MigrationConfig
        {
            Snowflake = snowflake ?? new SnowflakeSettings { Account = "" },
            Postgres = postgres ?? new PostgresSettings { Host = "" },
            ParallelThreads = parallelThreads ?? MigrationConfig.DefaultParallelThreads,
            BatchSize = batchSize ?? MigrationConfig.DefaultBatchSize,
            BatchSizeCopyMode = copyBatchSize,
            StatusTrackingDatabase = statusDatabase,
            MaxRetryAttempts = retries ?? MigrationConfig.DefaultMaxRetryAttempts,
            DeadlineBufferSeconds = deadlineBuffer ?? MigrationConfig.DefaultDeadlineBufferSeconds,
            Sources = sources,
            Stage = stage,
            SourcePath = sourcePath,
        };
    }

    /// <summary>Tables extracted by unload need the root's stage; it is reported once, naming them.</summary>
    private void CheckStageForUnload(ConfigObject root, StageSettings? stage, IReadOnlyList<SourceConfig> sources)
    {
        var unloaded = sources.SelectMany(s => s.Tables.Where(t => t.Enabled && t.Extract == ExtractMethod.Unload).Select(t => $"{s.SourceName}/{t.Target}")).ToList();
        if (unloaded.Count > 0 && stage is null && !root.Has(StageBinder.Key))
        {
            _reader.Error(ErrorCatalog.StageMissing, root.PathOf(StageBinder.Key),
                $"Table(s) {string.Join(", ", unloaded.Take(5))}{(unloaded.Count > 5 ? ", ..." : "")} use \"extract\": \"unload\" but the config has no \"{StageBinder.Key}\".",
                ErrorCatalog.StageMissing.RecommendedAction);
        }
    }

    private SnowflakeSettings? ReadSnowflake(ConfigObject root)
    {
        var block = root.Object("snowflake", ConfigKeys.Snowflake, required: true);
        if (block is null)
        {
            return null;
        }

        var account = block.String("account", required: true);
        var user = block.String("user");
        var role = block.String("role");
        var warehouse = block.String("warehouse");
        var rsaKey = block.String("rsa_key");
        if (rsaKey is not null && rsaKey.Contains("-----BEGIN", StringComparison.Ordinal) && !block.UsesVariable("rsa_key"))
        {
            // A key file path is not a secret; key text written into the file is.
            _reader.Warning(
                ErrorCatalog.ConfigSecretInPlainText,
                block.PathOf("rsa_key"),
                "'rsa_key' holds private key text written literally in the config file.",
                "Give a key file path, or put the key text in the environment or .env file and write \"${NAME}\" here.");
        }

        var passphrase = block.String("rsa_key_passphrase", secret: true);
        var token = block.String("token", secret: true);
        var authenticator = ReadChoice(block, "authenticator", Authenticators);
        var host = block.String("host");
        var port = block.Int("port", ConfigLimits.MinPort, ConfigLimits.MaxPort);
        var scheme = ReadChoice(block, "scheme", ["https", "http"])?.ToLowerInvariant();
        var statementTimeout = block.Int("statement_timeout_seconds", 0, ConfigLimits.MaxStatementTimeoutSeconds);
        var allowInsecureHttp = block.Bool("allow_insecure_http") ?? false;
        if (scheme == "http" && !allowInsecureHttp && !LoopbackHost.Is(host))
        {
            _reader.Error(
                ErrorCatalog.ConfigCleartextTransport,
                block.PathOf("scheme"),
                $"'http' would send the Snowflake credentials in clear text to {DisplayHost(host, account)}, which is not this machine.",
                ErrorCatalog.ConfigCleartextTransport.RecommendedAction);
        }

        authenticator = CheckAuthentication(block, authenticator, user, rsaKey, token);
        if (_checkPrivateKey && authenticator == "SNOWFLAKE_JWT" && !string.IsNullOrWhiteSpace(rsaKey))
        {
            CheckPrivateKey(block, rsaKey, passphrase);
        }

        return new SnowflakeSettings
        {
            Account = account ?? "",
            User = NullIfEmpty(user),
            Role = NullIfEmpty(role),
            Warehouse = NullIfEmpty(warehouse),
            RsaKey = NullIfEmpty(rsaKey),
            RsaKeyPassphrase = NullIfEmpty(passphrase),
            Token = NullIfEmpty(token),
            Authenticator = authenticator,
            Host = NullIfEmpty(host),
            Port = port,
            Scheme = scheme,
            AllowInsecureHttp = allowInsecureHttp,
            StatementTimeoutSeconds = statementTimeout,
        };
    }

    /// <summary>Loads the key as a run would, so every key problem is found by validate, not at the first login.</summary>
    private void CheckPrivateKey(ConfigObject block, string rsaKey, string? passphrase)
    {
        try
        {
            using var key = Snowflake.SnowflakePrivateKey.Load(rsaKey, NullIfEmpty(passphrase));
        }
        catch (Snowflake.SnowflakeException ex)
        {
            _reader.Error(ex.Error, block.PathOf("rsa_key"), ex.Message);
        }
    }

    private static string DisplayHost(string? host, string? account) =>
        !string.IsNullOrWhiteSpace(host) ? host.Trim()
        : string.IsNullOrWhiteSpace(account) ? "the account's host" : $"{account.Trim().ToLowerInvariant()}.snowflakecomputing.com";

    private string? ReadChoice(ConfigObject block, string key, IReadOnlyList<string> allowed)
    {
        var value = block.String(key);
        if (value is null)
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        var suggestion = NameSuggestion.Closest(value, allowed);
        _reader.Error(
            ErrorCatalog.ConfigInvalidValue,
            block.PathOf(key),
            $"'{value}' is not a valid {key}{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}",
            $"Use one of: {string.Join(", ", allowed)}.");
        return null;
    }

    private string? CheckAuthentication(ConfigObject block, string? authenticator, string? user, string? rsaKey, string? token)
    {
        var keyUnresolved = _reader.IsUnresolved(block.PathOf("rsa_key"));
        var tokenUnresolved = _reader.IsUnresolved(block.PathOf("token"));
        var hasKey = !string.IsNullOrWhiteSpace(rsaKey);
        var hasToken = !string.IsNullOrWhiteSpace(token);
        if (authenticator is null && block.Has("authenticator"))
        {
            return null; // Invalid value, already reported.
        }

        // Without an authenticator the credential decides: a key means key-pair JWT; a bare token is taken
        // as OAuth, as Snowflake's SQL API does when no token type is sent.
        var effective = authenticator ?? (hasKey ? "SNOWFLAKE_JWT" : hasToken ? "OAUTH" : null);
        switch (effective)
        {
            case null when !keyUnresolved && !tokenUnresolved:
                _reader.Error(
                    ErrorCatalog.ConfigSnowflakeAuthMissing,
                    block.Path,
                    "neither 'rsa_key' nor 'token' is set, so there is no way to authenticate to Snowflake.");
                break;
            case "SNOWFLAKE_JWT":
                if (!hasKey && !keyUnresolved)
                {
                    _reader.Error(
                        ErrorCatalog.ConfigSnowflakeAuthMissing,
                        block.PathOf("rsa_key"),
                        "authenticator SNOWFLAKE_JWT needs 'rsa_key' (a private key file path or PEM text), which is not set.");
                }

                if (string.IsNullOrWhiteSpace(user) && !_reader.IsUnresolved(block.PathOf("user")))
                {
                    _reader.Error(
                        ErrorCatalog.ConfigMissingRequired,
                        block.PathOf("user"),
                        "'user' is required for key-pair authentication (it names the key's owner in the JWT).");
                }

                break;
            case "OAUTH" or "PROGRAMMATIC_ACCESS_TOKEN":
                if (!hasToken && !tokenUnresolved)
                {
                    _reader.Error(
                        ErrorCatalog.ConfigSnowflakeAuthMissing,
                        block.PathOf("token"),
                        $"authenticator {effective} needs 'token', which is not set.");
                }

                break;
        }

        return effective;
    }

    private PostgresSettings? ReadPostgres(ConfigObject root)
    {
        var block = root.Object("postgres", ConfigKeys.Postgres, required: true);
        if (block is null)
        {
            return null;
        }

        var host = block.String("host", required: true);
        var port = block.Int("port", ConfigLimits.MinPort, ConfigLimits.MaxPort);
        var user = block.String("user");
        var password = block.String("password", secret: true);
        var database = block.String("database");
        TableBinder.CheckPostgresNameLength(_reader, database, block.PathOf("database"), "database");
        var sslMode = block.String("sslmode");
        string? normalisedSslMode = null;
        if (sslMode is not null && !SslModes.TryGetValue(sslMode.Trim(), out normalisedSslMode))
        {
            var suggestion = NameSuggestion.Closest(sslMode, SslModes.Keys);
            _reader.Error(
                ErrorCatalog.ConfigInvalidValue,
                block.PathOf("sslmode"),
                $"'{sslMode}' is not an SSL mode{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}",
                "Use one of: disable, allow, prefer, require, verify-ca, verify-full.");
        }

        return new PostgresSettings
        {
            Host = host ?? "",
            Port = port ?? 5432,
            User = NullIfEmpty(user),
            Password = NullIfEmpty(password),
            Database = NullIfEmpty(database),
            SslMode = normalisedSslMode,
        };
    }

    private int? ReadDeadlineBuffer(ConfigObject root)
    {
        var current = root.Int(
            ConfigKeys.DeadlineBufferSeconds, ConfigLimits.MinDeadlineBufferSeconds, ConfigLimits.MaxDeadlineBufferSeconds);
        var alias = root.Int(
            ConfigKeys.LambdaTimeoutBufferSeconds, ConfigLimits.MinDeadlineBufferSeconds, ConfigLimits.MaxDeadlineBufferSeconds);
        if (current is not null && alias is not null && current != alias)
        {
            _reader.Error(
                ErrorCatalog.ConfigConflictingAlias,
                root.PathOf(ConfigKeys.LambdaTimeoutBufferSeconds),
                $"'{ConfigKeys.LambdaTimeoutBufferSeconds}' ({alias}) is the older name of '{ConfigKeys.DeadlineBufferSeconds}' ({current}), and the two differ.",
                $"Keep only '{ConfigKeys.DeadlineBufferSeconds}'.");
        }

        return current ?? alias;
    }

    /// <summary>
    /// The older tool kept status in one database of its own; here each target database holds its own status,
    /// committed with the chunk's rows. Naming the target database changes nothing; naming another one would
    /// be silently ignored, so say where status actually goes.
    /// </summary>
    private void CheckStatusTrackingDatabase(ConfigObject root, string? statusDatabase, List<SourceConfig> sources)
    {
        if (statusDatabase is null)
        {
            return;
        }

        var elsewhere = sources
            .Where(s => s.TargetPgDatabase.Length > 0 && !string.Equals(s.TargetPgDatabase, statusDatabase, StringComparison.Ordinal))
            .Select(s => $"{s.SourceName} -> {s.TargetPgDatabase}")
            .ToList();
        if (elsewhere.Count == 0)
        {
            return;
        }

        _reader.Warning(
            ErrorCatalog.ConfigStatusDatabaseNotUsed,
            root.PathOf(ConfigKeys.StatusTrackingDatabase),
            $"status_tracking_database '{statusDatabase}' is not used: run, table and chunk status is kept in each source's target database "
            + $"(migration_status schema), because a chunk's rows and its status commit in one transaction; sources writing elsewhere: {string.Join(", ", elsewhere)}.",
            "Remove status_tracking_database, and read status from each target database (sfpg runs/tables/chunks, or Get-SfPgRun).");
    }

    private List<SourceConfig> ReadSources(ConfigObject root, string? defaultDatabase, bool defaultInsertOnly, Verification.VerifyDepth defaultVerify)
    {
        var sources = new List<SourceConfig>();
        var elements = root.Array("sources", required: true);
        if (elements is null)
        {
            return sources;
        }

        if (elements.Count == 0)
        {
            _reader.Error(ErrorCatalog.ConfigMissingRequired, root.PathOf("sources"), "'sources' is empty.", "Add at least one source with its tables.");
        }

        var namePaths = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < elements.Count; index++)
        {
            var path = ConfigDocumentReader.Item(root.PathOf("sources"), index);
            var block = _reader.AsObject(elements[index], path, ConfigKeys.Source);
            if (block is null)
            {
                continue;
            }

            var source = ReadSource(block, defaultDatabase, defaultInsertOnly, defaultVerify);
            if (source.SourceName.Length > 0 && !namePaths.TryAdd(source.SourceName, path))
            {
                _reader.Error(
                    ErrorCatalog.ConfigDuplicateSourceName,
                    block.PathOf("source_name"),
                    $"source_name '{source.SourceName}' is also used by {namePaths[source.SourceName]}.");
            }

            sources.Add(source);
        }

        CheckTruncatedTargets();
        return sources;
    }

    private SourceConfig ReadSource(ConfigObject block, string? defaultDatabase, bool defaultInsertOnly, Verification.VerifyDepth defaultVerify)
    {
        var name = block.String("source_name", required: true);
        var sfDatabase = ReadSnowflakeName(block, "source_sf_database", required: true);
        var sfSchema = ReadSnowflakeName(block, "source_sf_schema", required: true);
        var pgDatabase = block.String("target_pg_database", required: defaultDatabase is null);
        var pgSchema = block.String("target_pg_schema", required: true);
        var enabled = block.Bool("enabled") ?? true;
        TableBinder.CheckPostgresNameLength(_reader, pgDatabase, block.PathOf("target_pg_database"), "database");
        TableBinder.CheckPostgresNameLength(_reader, pgSchema, block.PathOf("target_pg_schema"), "schema");
        var tables = new List<(int Index, TableConfig Table)>();
        // A source's create_target and schema_evolution override the root's for its tables.
        var shapeDefaults = new TableShapeDefaults(
            block.Bool(ConfigKeys.CreateTarget) ?? _shapeDefaults.CreateTarget,
            TableBinder.ReadSchemaEvolution(_reader, block) ?? _shapeDefaults.SchemaEvolution);
        var tableBinder = new TableBinder(_reader, defaultInsertOnly, VerifySetting.Read(_reader, block, defaultVerify))
        {
            ShapeDefaults = shapeDefaults,
            DefaultExtract = ExtractSetting.Read(_reader, block, _defaultExtract),
        };
        foreach (var (element, index) in (block.Array("tables", required: true) ?? []).Select((e, i) => (e, i)))
        {
            var tablePath = ConfigDocumentReader.Item(block.PathOf("tables"), index);
            var table = _reader.AsObject(element, tablePath, ConfigKeys.Table);
            if (table is not null)
            {
                tables.Add((index, tableBinder.Bind(table)));
            }
        }

        CheckDuplicateTargets(block, tables);
        tables = TableReferenceBinder.Resolve(_reader, tables);
        foreach (var (index, table) in tables)
        {
            var path = ConfigDocumentReader.Child(ConfigDocumentReader.Item(block.PathOf("tables"), index), "target");
            _targets.Add((path, pgDatabase ?? defaultDatabase ?? "", pgSchema ?? "", table));
        }

        return new SourceConfig
        {
            SourceName = name ?? "",
            SourceSfDatabase = sfDatabase ?? "",
            SourceSfSchema = sfSchema ?? "",
            TargetPgDatabase = pgDatabase ?? defaultDatabase ?? "",
            TargetPgSchema = pgSchema ?? "",
            Enabled = enabled,
            Tables = tables.Select(t => t.Table).ToList(),
        };
    }

    private string? ReadSnowflakeName(ConfigObject block, string key, bool required)
    {
        var written = block.String(key, required);
        return written is null ? null : TableBinder.NormalizeSnowflakeName(_reader, written, block.PathOf(key), key);
    }

    private void CheckDuplicateTargets(ConfigObject block, List<(int Index, TableConfig Table)> tables)
    {
        var firstByTarget = new Dictionary<string, (int Index, TableConfig Table)>(StringComparer.Ordinal);
        foreach (var entry in tables)
        {
            var target = entry.Table.Target;
            if (target.Length == 0)
            {
                continue;
            }

            if (!firstByTarget.TryGetValue(target, out var first))
            {
                firstByTarget[target] = entry;
                continue;
            }

            var bothEnabled = entry.Table.Enabled && first.Table.Enabled;
            _reader.Add(
                bothEnabled ? ConfigFindingSeverity.Error : ConfigFindingSeverity.Warning,
                ErrorCatalog.ConfigDuplicateTarget,
                ConfigDocumentReader.Child(ConfigDocumentReader.Item(block.PathOf("tables"), entry.Index), "target"),
                $"target table '{target}' is also loaded by {ConfigDocumentReader.Item(block.PathOf("tables"), first.Index)}"
                + (bothEnabled ? "." : "; one of the two is disabled, so this is harmless until both are enabled."));
        }
    }

    /// <summary>
    /// Targets that differ as written but not in their first 63 bytes are one PostgreSQL table: the second
    /// load would empty or overwrite the first. Compared across sources that share a database and schema.
    /// </summary>
    private void CheckTruncatedTargets()
    {
        var firstByName = new Dictionary<(string, string, string), (string Path, TableConfig Table)>();
        foreach (var (path, database, schema, table) in _targets)
        {
            if (table.Target.Length == 0)
            {
                continue;
            }

            var key = (database, PostgresNameLength.Truncate(schema), PostgresNameLength.Truncate(table.Target));
            if (!firstByName.TryGetValue(key, out var first))
            {
                firstByName[key] = (path, table);
                continue;
            }

            if (first.Table.Target == table.Target)
            {
                continue; // The same name written twice: SFPG1017's concern.
            }

            var bothEnabled = table.Enabled && first.Table.Enabled;
            _reader.Add(
                bothEnabled ? ConfigFindingSeverity.Error : ConfigFindingSeverity.Warning,
                ErrorCatalog.ConfigPostgresNameCollision,
                path,
                $"target table '{table.Target}' and '{first.Table.Target}' ({first.Path}) are the same PostgreSQL table '{PostgresNameLength.Truncate(table.Target)}', which keeps only the first {PostgresNameLength.MaxBytes} bytes of a name"
                + (bothEnabled ? "." : "; one of the two is disabled, so this is harmless until both are enabled."));
        }
    }

    private void CheckSelection(string sourcesPath, List<SourceConfig> sources, string? requestedSource)
    {
        if (sources.Count == 0)
        {
            return;
        }

        if (requestedSource is null)
        {
            if (!sources.Exists(s => s.Enabled && s.Tables.Any(t => t.Enabled)))
            {
                _reader.Warning(ErrorCatalog.ConfigNothingToRun, sourcesPath, "no enabled source has an enabled table, so a run copies nothing.");
            }

            return;
        }

        foreach (var name in SourceSelection.Names(requestedSource))
        {
            CheckSelectedSource(sourcesPath, sources, name);
        }
    }

    private void CheckSelectedSource(string sourcesPath, List<SourceConfig> sources, string requestedSource)
    {
        var index = sources.FindIndex(s => string.Equals(s.SourceName, requestedSource, StringComparison.Ordinal));
        if (index < 0)
        {
            var names = sources.Select(s => s.SourceName).Where(n => n.Length > 0).ToList();
            var suggestion = NameSuggestion.Closest(requestedSource, names);
            _reader.Error(
                ErrorCatalog.ConfigSourceNotFound,
                sourcesPath,
                $"no source is named '{requestedSource}'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}",
                names.Count == 0 ? null : $"Sources in this config: {string.Join(", ", names)}.");
            return;
        }

        var selected = sources[index];
        var path = ConfigDocumentReader.Item(sourcesPath, index);
        if (!selected.Enabled)
        {
            _reader.Warning(
                ErrorCatalog.ConfigNothingToRun,
                ConfigDocumentReader.Child(path, "enabled"),
                $"source '{requestedSource}' is disabled, so a run of it copies nothing.",
                "Set \"enabled\": true on the source to run it.");
        }
        else if (!selected.Tables.Any(t => t.Enabled))
        {
            _reader.Warning(
                ErrorCatalog.ConfigNothingToRun,
                ConfigDocumentReader.Child(path, "tables"),
                $"source '{requestedSource}' has no enabled table, so a run of it copies nothing.");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
