using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Execution;

public sealed class RetryDecisionTests
{
    [Theory]
    [InlineData("40001", true)] // serialization failure
    [InlineData("40P01", true)] // deadlock
    [InlineData("57P01", true)] // admin shutdown / terminated backend
    [InlineData("08006", true)] // connection failure
    [InlineData("53300", true)] // too many connections
    [InlineData("23505", false)] // duplicate key: the same every time
    [InlineData("22P02", false)] // invalid text representation
    [InlineData("42P01", false)] // undefined table
    public void PostgreSQL_errors_are_retried_only_when_another_attempt_can_succeed(string sqlState, bool retried)
    {
        TableCopier.IsWorthRetrying(new PostgresException("boom", "ERROR", "ERROR", sqlState)).Should().Be(retried);
    }

    [Fact]
    public void Bad_data_and_bad_settings_are_not_retried_but_unavailable_sources_are()
    {
        TableCopier.IsWorthRetrying(new SfPgException(ErrorCatalog.ValueConversionFailed, "bad value", null, null)).Should().BeFalse();
        TableCopier.IsWorthRetrying(new SfPgException(ErrorCatalog.TargetTableMissing, "no table", null, null)).Should().BeFalse();
        TableCopier.IsWorthRetrying(new SfPgException(ErrorCatalog.RunStatusNotPersisted, "lost", null, null)).Should().BeTrue();
    }

    [Fact]
    public void A_statement_Snowflake_no_longer_knows_is_submitted_again_but_other_rejections_are_not()
    {
        TableCopier.IsWorthRetrying(new SnowflakeException(ErrorCatalog.SnowflakeRequestRejected, "Statement not found", "000709", httpStatus: 400)).Should().BeTrue();
        TableCopier.IsWorthRetrying(new SnowflakeException(ErrorCatalog.SnowflakeRequestRejected, "bad request", "000001", httpStatus: 400)).Should().BeFalse();
    }

    [Fact]
    public void Dropped_connections_and_unknown_failures_are_retried()
    {
        TableCopier.IsWorthRetrying(new IOException("connection reset")).Should().BeTrue();
        TableCopier.IsWorthRetrying(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())).Should().BeTrue();
    }
}
