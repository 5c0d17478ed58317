using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>A small valid config to mutate per test, and helpers to load it with a fixed set of variables.</summary>
internal static class ConfigFixture
{
    public const string Password = "pg-S3cret-value";
    public const string Token = "sf-T0ken-value";

    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["SF_ACCOUNT"] = "myorg-myaccount",
        ["SF_USER"] = "MIGRATION_SVC",
        ["SF_KEY"] = "/keys/snowflake.p8",
        ["PG_HOST"] = "localhost",
        ["PG_PASSWORD"] = Password,
    };

    /// <summary>One source, one incremental table; every variable it uses is in <see cref="Variables"/>.</summary>
    public static JsonObject Valid() => JsonNode.Parse("""
        {
          "snowflake": {
            "account": "${SF_ACCOUNT}",
            "user": "${SF_USER}",
            "rsa_key": "${SF_KEY}"
          },
          "postgres": {
            "host": "${PG_HOST}",
            "user": "migration",
            "password": "${PG_PASSWORD}"
          },
          "sources": [
            {
              "source_name": "analytics",
              "source_sf_database": "ANALYTICS",
              "source_sf_schema": "BI",
              "target_pg_database": "conflict_management",
              "target_pg_schema": "analytics_dev",
              "tables": [
                {
                  "source": "DIMPAYER",
                  "target": "dimpayer",
                  "chunking_columns": ["Payer Id"],
                  "chunking_column_types": ["uuid"],
                  "uniqueness_columns": ["Payer Id"],
                  "source_watermark": "Updated Datatimestamp",
                  "target_watermark": "Updated Datatimestamp"
                }
              ]
            }
          ]
        }
        """)!.AsObject();

    public static JsonObject Table(JsonObject config, int source = 0, int table = 0) =>
        config["sources"]![source]!["tables"]![table]!.AsObject();

    public static JsonObject Source(JsonObject config, int source = 0) => config["sources"]![source]!.AsObject();

    public static JsonArray Array(params string[] items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    public static ConfigLoadResult Load(JsonNode config, string? sourceName = null, IReadOnlyDictionary<string, string>? variables = null) =>
        Load(config.ToJsonString(), sourceName, variables);

    public static ConfigLoadResult Load(string json, string? sourceName = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        var lookup = variables ?? Variables;
        return ConfigLoader.Parse(json, Options(sourceName, lookup));
    }

    public static ConfigLoadOptions Options(string? sourceName = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        var lookup = variables ?? Variables;
        return new ConfigLoadOptions
        {
            SourceName = sourceName,
            EnvironmentVariables = name => lookup.TryGetValue(name, out var value) ? value : null,
        };
    }

    /// <summary>The (code, path) pairs of all findings, for exact assertions.</summary>
    public static IEnumerable<(string Code, string Path)> CodesAndPaths(this ConfigLoadResult result) =>
        result.Findings.Select(f => (f.Code, f.Path));

    public static TableConfig FirstTable(this ConfigLoadResult result)
    {
        result.Config.Should().NotBeNull(string.Join(Environment.NewLine, result.Findings));
        return result.Config!.Sources[0].Tables[0];
    }
}
