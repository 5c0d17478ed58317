using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Status;

public sealed class StatusTextTests
{
    [Fact]
    public void Every_status_maps_to_its_stored_text_and_back()
    {
        Enum.GetValues<RunStatus>().Select(StatusText.ToText).Should()
            .Equal("running", "completed", "completed_with_errors", "partial", "failed", "cancelled");
        Enum.GetValues<ProgressStatus>().Select(StatusText.ToText).Should()
            .Equal("pending", "in_progress", "completed", "failed", "incomplete");
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            StatusText.ParseRunStatus(StatusText.ToText(status)).Should().Be(status);
        }

        foreach (var status in Enum.GetValues<ProgressStatus>())
        {
            StatusText.ParseProgressStatus(StatusText.ToText(status)).Should().Be(status);
        }

        foreach (var kind in Enum.GetValues<IndexObjectKind>())
        {
            StatusText.ParseIndexObjectKind(StatusText.ToText(kind)).Should().Be(kind);
        }
    }

    [Theory]
    [InlineData("Completed-With-Errors", RunStatus.CompletedWithErrors)]
    [InlineData(" CompletedWithErrors ", RunStatus.CompletedWithErrors)]
    [InlineData("CANCELLED", RunStatus.Cancelled)]
    public void Typed_run_statuses_are_forgiving_about_case_and_separators(string typed, RunStatus expected)
    {
        StatusText.TryParseRunStatus(typed, out var status).Should().BeTrue();
        status.Should().Be(expected);
    }

    [Fact]
    public void An_unknown_status_is_refused_with_the_valid_ones_listed()
    {
        StatusText.TryParseProgressStatus("done", out _).Should().BeFalse();
        StatusText.TryParseRunStatus(null, out _).Should().BeFalse();
        FluentActions.Invoking(() => StatusText.ParseProgressStatus("done")).Should().Throw<ArgumentException>()
            .WithMessage("*pending, in_progress, completed, failed, incomplete*");
    }

    [Fact]
    public void Worker_ids_name_the_host_process_and_worker()
    {
        WorkerIds.ForThisProcess(3).Should().Be($"{Environment.MachineName}:{Environment.ProcessId}:3");
    }
}
