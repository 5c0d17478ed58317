using System.Management.Automation;
using SnowPgMigration.Tests.Hosted.Infrastructure;

namespace SnowPgMigration.Tests.Hosted;

/// <summary>The status cmdlets in a real runspace against real PostgreSQL: what PowerShell's binder and host do with them.</summary>
public sealed class StatusCmdletHostTests : IDisposable
{
    private readonly HostedSession _session = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public void Parameters_choose_one_of_three_sets_and_two_sets_at_once_are_refused()
    {
        _session.Run("(Get-Command Get-SfPgRun).ParameterSets.Name").Output.Select(o => o.ToString())
            .Should().Equal("Config", "ConnectionString", "Connection");

        var both = _session.Run("Get-SfPgRun -ConfigPath ./config.json -ConnectionString 'Host=h'");

        both.HadErrors.Should().BeTrue();
        both.Errors.Single().FullyQualifiedErrorId.Should().StartWith("AmbiguousParameterSet,");
    }

    [Fact]
    public async Task Objects_bind_by_property_name_down_the_pipeline()
    {
        var (cs, runId) = await ArrangeAsync();

        var chunks = _session.Run("Get-SfPgRun -ConnectionString $cs | Get-SfPgTableStatus | Get-SfPgChunk", Vars(cs));

        chunks.Errors.Should().BeEmpty();
        chunks.Output.Select(c => (int)c.Properties["ChunkId"].Value).Should().Equal(1, 2, 3, 4);
        chunks.Output.Select(c => (Guid)c.Properties["RunId"].Value).Should().AllBeEquivalentTo(runId);
    }

    [Fact]
    public async Task A_run_id_binds_by_value_as_a_guid_or_a_string()
    {
        var (cs, runId) = await ArrangeAsync();

        var byGuid = _session.Run("$id | Get-SfPgRunStatus -ConnectionString $cs", Vars(cs, runId));
        var byString = _session.Run("$id.ToString() | Get-SfPgRunStatus -ConnectionString $cs", Vars(cs, runId));

        byGuid.Output.Single().Properties["ChunksTotal"].Value.Should().Be(4);
        byString.Output.Single().Properties["ChunksFailed"].Value.Should().Be(2);
    }

    [Fact]
    public async Task WhatIf_changes_nothing_an_unconfirmed_stop_stops_nothing_and_Force_skips_the_question()
    {
        var (cs, runId) = await ArrangeAsync();

        _session.Run("Get-SfPgChunk -ConnectionString $cs -Status failed | Reset-SfPgChunk -WhatIf", Vars(cs)).Errors.Should().BeEmpty();
        _session.Run("@(Get-SfPgChunk -ConnectionString $cs -Status failed).Count", Vars(cs)).Output.Single().BaseObject.Should().Be(2);

        // ConfirmImpact High asks; a host that cannot ask refuses, and the run is left alone.
        var unconfirmed = _session.Run("Stop-SfPgRun -ConnectionString $cs -RunId $id -Reason 'hosted'", Vars(cs, runId));
        unconfirmed.HadErrors.Should().BeTrue();
        Status(cs, runId).Should().Be("running");

        var forced = _session.Run("Stop-SfPgRun -ConnectionString $cs -RunId $id -Reason 'hosted' -Force", Vars(cs, runId));
        forced.Errors.Should().BeEmpty();
        forced.Output.Single().Properties["Status"].Value.Should().Be("cancelled");
    }

    [Fact]
    public async Task An_unknown_run_is_a_non_terminating_catalogue_error_and_the_pipeline_goes_on()
    {
        var (cs, runId) = await ArrangeAsync();

        var result = _session.Run("[guid]::NewGuid(), $id | Get-SfPgRunStatus -ConnectionString $cs", Vars(cs, runId));

        result.HadErrors.Should().BeTrue();
        var error = result.Errors.Single();
        error.FullyQualifiedErrorId.Should().Be("SFPG4003,SnowPgMigration.PowerShell.Commands.GetSfPgRunStatusCommand");
        error.CategoryInfo.Category.Should().Be(ErrorCategory.ObjectNotFound);
        error.ErrorDetails.RecommendedAction.Should().NotBeNullOrEmpty();
        result.Output.Single().Properties["RunId"].Value.Should().Be(runId);
    }

    [Fact]
    public async Task A_missing_schema_stops_the_pipeline_with_its_code()
    {
        var cs = await StatusDatabase.CreateAsync();

        var result = _session.Run("Get-SfPgRun -ConnectionString $cs", Vars(cs));

        result.Errors.Single().FullyQualifiedErrorId.Should().StartWith("SFPG4002,");
        result.Output.Should().BeEmpty();
    }

    private async Task<(string Cs, Guid RunId)> ArrangeAsync()
    {
        var cs = await StatusDatabase.CreateAsync();
        var installed = _session.Run("Install-SfPgStatusSchema -ConnectionString $cs", Vars(cs));
        installed.Errors.Should().BeEmpty();
        installed.Output.Single().Properties["WasInstalled"].Value.Should().Be(false);
        return (cs, await StatusDatabase.ArrangeRunAsync(cs));
    }

    private string Status(string cs, Guid runId) =>
        _session.Run("(Get-SfPgRun -ConnectionString $cs -RunId $id).Status", Vars(cs, runId)).Output.Single().ToString();

    private static Dictionary<string, object?> Vars(string cs, Guid? runId = null) => new() { ["cs"] = cs, ["id"] = runId };
}
