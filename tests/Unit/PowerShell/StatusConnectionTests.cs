using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Tests.Unit.Config;

namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>How cmdlets and CLI verbs name a status database: a config file and source, or a connection string.</summary>
public sealed class StatusConnectionTests
{
    [Fact]
    public void A_source_resolves_to_its_target_database_on_the_configs_server()
    {
        var config = ConfigFixture.Load(ConfigFixture.Valid()).GetConfigOrThrow();

        var target = StatusConnection.FromConfig(config, "ANALYTICS");

        target.Database.Should().Be("conflict_management");
        target.Host.Should().Be("localhost");
        target.UserName.Should().Be("migration");
        target.SourceName.Should().Be("analytics");
        target.ConnectionString.Should().Contain("Password=" + ConfigFixture.Password).And.Contain("Application Name=" + StatusConnection.ApplicationName);
        target.Description.Should().Be("migration@localhost:5432/conflict_management").And.NotContain(ConfigFixture.Password);
    }

    [Fact]
    public void A_single_target_database_needs_no_source_name_but_several_do()
    {
        var json = ConfigFixture.Valid();
        StatusConnection.FromConfig(ConfigFixture.Load(json).GetConfigOrThrow(), null).Database.Should().Be("conflict_management");

        var second = ConfigFixture.Source(json).DeepClone().AsObject();
        second["source_name"] = "finance";
        second["target_pg_database"] = "finance_db";
        json["sources"]!.AsArray().Add(second);
        var config = ConfigFixture.Load(json).GetConfigOrThrow();

        var resolve = () => StatusConnection.FromConfig(config, null);
        resolve.Should().Throw<SfPgException>()
            .Where(e => e.Error == ErrorCatalog.StatusSourceAmbiguous && e.Message.Contains("analytics -> conflict_management") && e.Message.Contains("finance -> finance_db"));
        StatusConnection.FromConfig(config, "finance").Database.Should().Be("finance_db");
        var unknown = () => StatusConnection.FromConfig(config, "nope");
        unknown.Should().Throw<SfPgException>().Where(e => e.Error == ErrorCatalog.ConfigSourceNotFound);
    }

    [Fact]
    public void A_credential_replaces_the_user_and_password_of_either_form()
    {
        var config = ConfigFixture.Load(ConfigFixture.Valid()).GetConfigOrThrow();
        var fromConfig = StatusConnection.FromConfig(config, "analytics", "owner", "0wner-Pw");
        fromConfig.UserName.Should().Be("owner");
        fromConfig.ConnectionString.Should().Contain("Password=0wner-Pw").And.NotContain(ConfigFixture.Password);

        var fromString = StatusConnection.FromConnectionString("Host=pg01;Database=cm;Username=reader;Password=old", "owner", "0wner-Pw");
        fromString.UserName.Should().Be("owner");
        fromString.ConnectionString.Should().Contain("Password=0wner-Pw").And.NotContain("old");
        fromString.Description.Should().Be("owner@pg01:5432/cm");
    }

    [Fact]
    public void Resolving_reads_the_config_file_and_prefers_a_connection_string()
    {
        using var folder = new TemporaryFolder();
        var json = ConfigFixture.Valid();
        json["postgres"]!["host"] = "pg-from-file";
        json["postgres"]!["password"] = "${PG_PASSWORD:-}";
        var path = folder.Write("config.json", json.ToJsonString());
        var env = folder.Write("vars.env", "SF_ACCOUNT=a\nSF_USER=u\nSF_KEY=/k.p8\n");

        var fromFile = StatusConnection.Resolve(new StatusConnectionRequest { ConfigPath = path, EnvFilePath = env, SourceName = "analytics" });
        fromFile.Host.Should().Be("pg-from-file");
        fromFile.Database.Should().Be("conflict_management");

        var fromString = StatusConnection.Resolve(new StatusConnectionRequest { ConfigPath = path, ConnectionString = "Host=other;Database=d" });
        fromString.Host.Should().Be("other", "an explicit connection string wins over the config");
    }

    [Fact]
    public void An_invalid_config_stops_resolution_with_its_own_code()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("config.json", ConfigFixture.Valid().ToJsonString());

        var resolve = () => StatusConnection.Resolve(new StatusConnectionRequest { ConfigPath = path, EnvFilePath = folder.Write("empty.env", "") });

        resolve.Should().Throw<SfPgException>().Where(e => e.Error == ErrorCatalog.ConfigVariableUnset);
    }

    [Fact]
    public void Nothing_named_or_a_malformed_string_is_an_invocation_error()
    {
        var none = () => StatusConnection.Resolve(new StatusConnectionRequest());
        none.Should().Throw<SfPgException>().Where(e => e.Error == ErrorCatalog.StatusConnectionMissing && e.Error.Kind == ErrorKind.InvalidArgument);

        var malformed = () => StatusConnection.FromConnectionString("Host=pg01;Nonsense=secret-value");
        malformed.Should().Throw<SfPgException>().Where(e => e.Error == ErrorCatalog.StatusConnectionInvalid && !e.Message.Contains("secret-value"));

        var noHost = () => StatusConnection.FromConnectionString("Database=cm");
        noHost.Should().Throw<SfPgException>().Where(e => e.Error == ErrorCatalog.StatusConnectionInvalid && e.Message.Contains("Host"));
    }

    [Fact]
    public void A_request_never_shows_its_secrets()
    {
        var request = new StatusConnectionRequest { ConnectionString = "Host=h;Password=pw-in-string", UserName = "u", Password = "pw-Secret" };
        request.ToString().Should().NotContain("pw-in-string").And.NotContain("pw-Secret").And.Contain("UserName = u");
        StatusConnection.FromConnectionString("Host=h;Database=d;Username=u;Password=pw-Secret").ToString().Should().Be("u@h:5432/d");
    }

    [Fact]
    public void Config_secrets_given_by_parameter_need_an_empty_default_in_the_file()
    {
        var json = ConfigFixture.Valid();
        json["postgres"]!["password"] = "${PG_PASSWORD_UNSET:-}";
        var config = ConfigFixture.Load((JsonNode)json).GetConfigOrThrow();
        config.Postgres.Password.Should().BeNullOrEmpty();
        StatusConnection.FromConfig(config, null, "svc", "from-Credential").ConnectionString.Should().Contain("Password=from-Credential");
    }
}
