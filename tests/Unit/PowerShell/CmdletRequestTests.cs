using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Commands;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.Tests.Unit.Config;

namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>What each cmdlet asks the engine for, built from its parameters.</summary>
public sealed class CmdletRequestTests
{
    private static readonly Guid RunId = Guid.NewGuid();

    [Fact]
    public void Get_SfPgRun_filters_map_to_a_run_query()
    {
        var query = GetSfPgRunCommand.BuildQuery(RunId, "analytics", "completed_with_errors", 5, stale: true, TimeSpan.FromMinutes(30));
        query.Should().Be(new RunQuery { RunId = RunId, Source = "analytics", Status = RunStatus.CompletedWithErrors, Last = 5, StaleAfter = TimeSpan.FromMinutes(30) });

        GetSfPgRunCommand.BuildQuery(null, null, null, null, stale: false, TimeSpan.FromMinutes(30))
            .Should().Be(new RunQuery(), "without -Stale the threshold is not a filter");
    }

    [Fact]
    public void Get_SfPgChunk_and_Get_SfPgTableStatus_filters_map_to_queries()
    {
        GetSfPgChunkCommand.BuildQuery(RunId, "orders", "in_progress", stale: true, TimeSpan.FromMinutes(2), 50)
            .Should().Be(new ChunkQuery { RunId = RunId, Table = "orders", Status = ProgressStatus.InProgress, StaleAfter = TimeSpan.FromMinutes(2), Limit = 50 });
        GetSfPgChunkCommand.BuildQuery(null, null, "failed", stale: false, TimeSpan.FromMinutes(2), null)
            .Should().Be(new ChunkQuery { Status = ProgressStatus.Failed });
        GetSfPgTableStatusCommand.BuildQuery(RunId, "orders", "incomplete", 3)
            .Should().Be(new TableQuery { RunId = RunId, Table = "orders", Status = ProgressStatus.Incomplete, Limit = 3 });
        GetSfPgChunkCommand.DefaultStaleAfter.Should().Be(new MigrationOptions().StaleClaimAfter, "a chunk is stale when a resume would take its claim over");
    }

    [Fact]
    public void Remove_SfPgRun_and_Stop_SfPgRun_map_to_their_requests()
    {
        RemoveSfPgRunCommand.BuildRequest(TimeSpan.FromDays(30), RunId, "analytics", includeRunning: true, dryRun: true)
            .Should().Be(new RunRemovalRequest { OlderThan = TimeSpan.FromDays(30), RunId = RunId, Source = "analytics", IncludeRunning = true, DryRun = true });
        StopSfPgRunCommand.Mode(complete: true).Should().Be(RunStopMode.ForceComplete);
        StopSfPgRunCommand.Mode(complete: false).Should().Be(RunStopMode.Cancel);
        ResetSfPgChunkCommand.Describe(RunId, "orders", 7).Should().Be($"chunk 7 of table orders in run {RunId}");
    }

    [Fact]
    public void Start_and_Resume_map_their_parameters_to_migration_options()
    {
        var joinId = Guid.NewGuid();
        StartSfPgMigrationCommand.BuildOptions("analytics", "orders", noResume: true, TimeSpan.FromHours(2), joinId, TimeSpan.FromMinutes(150), 8, dryRun: true)
            .Should().BeEquivalentTo(new MigrationOptions
            {
                Source = "analytics", Table = "orders", NoResume = true, ResumeMaxAge = TimeSpan.FromHours(2), JoinRunId = joinId,
                MaxDuration = TimeSpan.FromMinutes(150), ThrottleLimit = 8, DryRun = true,
            });
        StartSfPgMigrationCommand.BuildOptions(null, null, false, TimeSpan.Zero, null, null, null, false).ResumeMaxAge
            .Should().Be(MigrationOptions.DefaultResumeMaxAge, "a zero window falls back to the default instead of never resuming");
        ResumeSfPgMigrationCommand.BuildOptions(RunId, "analytics", null, TimeSpan.FromHours(1), 2)
            .Should().BeEquivalentTo(new MigrationOptions { ResumeRunId = RunId, Source = "analytics", MaxDuration = TimeSpan.FromHours(1), ThrottleLimit = 2 });
    }

    [Fact]
    public void Secret_parameters_replace_the_configs_secrets_and_nothing_else()
    {
        var config = ConfigFixture.Load(ConfigFixture.Valid()).GetConfigOrThrow();

        var applied = SfPgConfigCmdlet.ApplySecrets(config, "svc_loader", "n3w-Passw0rd", "key-Phrase");

        applied.Postgres.User.Should().Be("svc_loader");
        applied.Postgres.Password.Should().Be("n3w-Passw0rd");
        applied.Snowflake.RsaKeyPassphrase.Should().Be("key-Phrase");
        applied.Postgres.Host.Should().Be(config.Postgres.Host);
        applied.Sources.Should().BeSameAs(config.Sources);
        applied.ToString().Should().NotContain("n3w-Passw0rd").And.NotContain("key-Phrase");
        SfPgConfigCmdlet.ApplySecrets(config, null, null, null).Should().Be(config, "without secret parameters the config is used as loaded");
    }

    [Fact]
    public void Test_SfPgConfig_reports_every_finding_of_a_file()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("config.json", """{ "snowflake": { "acount": "x" }, "postgres": {}, "sources": [] }""");

        var result = TestSfPgConfigCommand.Check(path, source: null, envFile: null);

        result.IsValid.Should().BeFalse();
        result.Findings.Select(f => f.Code).Should().Contain([ErrorCatalog.ConfigUnknownKey.Code, ErrorCatalog.ConfigMissingRequired.Code]);
        result.Findings.Should().Contain(f => f.Path == "snowflake.acount" && f.Message.Contains("account"));
    }

    [Fact]
    public void Item_errors_go_on_and_connection_or_schema_errors_stop_the_pipeline()
    {
        SfPgStatusCmdlet.IsItemError(new SfPgException(ErrorCatalog.ChunkNotFound, "x")).Should().BeTrue();
        SfPgStatusCmdlet.IsItemError(new SfPgException(ErrorCatalog.ChunkResetRefused, "x")).Should().BeTrue();
        SfPgStatusCmdlet.IsItemError(new SfPgException(ErrorCatalog.RunNotFound, "x")).Should().BeTrue();
        SfPgStatusCmdlet.IsItemError(new SfPgException(ErrorCatalog.RunForceCompleteRefused, "x")).Should().BeTrue();
        SfPgStatusCmdlet.IsItemError(new SfPgException(ErrorCatalog.StatusSchemaMissing, "x")).Should().BeFalse();
        SfPgStatusCmdlet.IsItemError(new SfPgException(ErrorCatalog.StatusDatabaseUnreachable, "x")).Should().BeFalse();
        SfPgStatusCmdlet.IsItemError(new SfPgException(ErrorCatalog.StatusConnectionMissing, "x")).Should().BeFalse();
        SfPgStatusCmdlet.IsItemError(new SfPgException(ErrorCatalog.ConfigVariableUnset, "x")).Should().BeFalse();
    }

    [Theory]
    [InlineData(ErrorKind.InvalidArgument, System.Management.Automation.ErrorCategory.InvalidArgument)]
    [InlineData(ErrorKind.ObjectNotFound, System.Management.Automation.ErrorCategory.ObjectNotFound)]
    [InlineData(ErrorKind.Connection, System.Management.Automation.ErrorCategory.ConnectionError)]
    [InlineData(ErrorKind.InvalidOperation, System.Management.Automation.ErrorCategory.InvalidOperation)]
    [InlineData(ErrorKind.Authentication, System.Management.Automation.ErrorCategory.AuthenticationError)]
    public void Error_kinds_map_to_fitting_categories(ErrorKind kind, System.Management.Automation.ErrorCategory category) =>
        ErrorRecords.CategoryOf(kind).Should().Be(category);

    [Fact]
    public void Every_catalogue_kind_has_a_specific_category() =>
        Enum.GetValues<ErrorKind>().Where(k => k != ErrorKind.NotSpecified)
            .Should().OnlyContain(k => ErrorRecords.CategoryOf(k) != System.Management.Automation.ErrorCategory.NotSpecified);
}
