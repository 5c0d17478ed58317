using System.Net.Http;
using System.Net.Sockets;
using Npgsql;
using Polly.Timeout;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Execution;

/// <summary>
/// The one classification every retry uses (<see cref="FailureClassification"/>): chunks retry what may pass,
/// status statements and HTTP requests only what is known to pass.
/// </summary>
public sealed class RetryDecisionTests
{
    /// <summary>The catalogue's transient codes, listed so that a change to one is a decision a test records.</summary>
    private static readonly string[] TransientCodes =
    [
        "SFPG2003", // the PostgreSQL target could not be reached
        "SFPG3004", // a Snowflake statement was canceled
        "SFPG3006", // Snowflake could not be reached or stayed overloaded
        "SFPG4010", // the run's final status could not be written
        "SFPG4304", // the status database could not be reached
        "SFPG5010", // an Azure Blob Storage request failed (unreachable, throttled)
    ];

    [Fact]
    public void Each_catalogued_code_says_whether_it_is_transient()
    {
        ErrorCatalog.All.Where(c => c.Transient).Select(c => c.Code).Should().BeEquivalentTo(TransientCodes);
    }

    [Fact]
    public void A_catalogued_failure_is_classified_by_its_code()
    {
        foreach (var code in ErrorCatalog.All)
        {
            var expected = code.Transient ? FailureClass.Transient : FailureClass.Permanent;
            FailureClassification.Classify(new SfPgException(code, "failed")).Should().Be(expected, code.Code);
        }
    }

    [Fact]
    public void Bad_data_and_bad_settings_are_not_retried_but_unavailable_servers_are()
    {
        FailureClassification.MayPassOnRetry(new SfPgException(ErrorCatalog.ValueConversionFailed, "bad value")).Should().BeFalse();
        FailureClassification.MayPassOnRetry(new SfPgException(ErrorCatalog.TargetTableMissing, "no table")).Should().BeFalse();
        FailureClassification.MayPassOnRetry(new SfPgException(ErrorCatalog.RunStatusNotPersisted, "lost")).Should().BeTrue();
        FailureClassification.IsTransient(new SfPgException(ErrorCatalog.StatusDatabaseUnreachable, "down")).Should().BeTrue();
    }

    [Theory]
    [InlineData("40001", true)] // serialization failure
    [InlineData("40P01", true)] // deadlock
    [InlineData("57P01", true)] // admin shutdown / terminated backend
    [InlineData("57P03", true)] // cannot connect now (starting up)
    [InlineData("57014", true)] // query canceled (statement_timeout)
    [InlineData("08006", true)] // connection failure
    [InlineData("53300", true)] // too many connections
    [InlineData("55P03", true)] // lock not available (Npgsql's own rule)
    [InlineData("57P04", false)] // database dropped
    [InlineData("23505", false)] // duplicate key: the same every time
    [InlineData("22P02", false)] // invalid text representation
    [InlineData("42P01", false)] // undefined table
    public void PostgreSQL_errors_are_classified_by_their_SQL_state(string sqlState, bool transient)
    {
        var error = new PostgresException("boom", "ERROR", "ERROR", sqlState);

        FailureClassification.Classify(error).Should().Be(transient ? FailureClass.Transient : FailureClass.Permanent);
        FailureClassification.MayPassOnRetry(error).Should().Be(transient);
    }

    [Fact]
    public void Snowflake_failures_follow_the_client_s_own_classification()
    {
        FailureClassification.IsTransient(new SnowflakeException(ErrorCatalog.SnowflakeUnavailable, "Service Unavailable", httpStatus: 503)).Should().BeTrue();
        FailureClassification.IsTransient(new SnowflakeException(ErrorCatalog.SnowflakeStatementFailed, "syntax error", "001003", httpStatus: 422)).Should().BeFalse();
        FailureClassification.IsTransient(new SnowflakeException(ErrorCatalog.SnowflakeStatementTimedOut, "timeout", "000630", httpStatus: 408)).Should().BeFalse();
        FailureClassification.IsTransient(new SnowflakeException(ErrorCatalog.SnowflakeAuthenticationFailed, "JWT token is invalid", "390144", httpStatus: 401)).Should().BeFalse();
        FailureClassification.IsTransient(new SnowflakeException(ErrorCatalog.SnowflakeUnreachable, "nothing listens")).Should().BeFalse();
    }

    [Fact]
    public void A_statement_Snowflake_no_longer_knows_is_submitted_again_but_other_rejections_are_not()
    {
        FailureClassification.MayPassOnRetry(new SnowflakeException(ErrorCatalog.SnowflakeRequestRejected, "Statement not found", "000709", httpStatus: 400)).Should().BeTrue();
        FailureClassification.MayPassOnRetry(new SnowflakeException(ErrorCatalog.SnowflakeRequestRejected, "bad request", "000001", httpStatus: 400)).Should().BeFalse();
    }

    [Fact]
    public void Dropped_connections_and_timeouts_are_transient()
    {
        FailureClassification.IsTransient(new IOException("connection reset")).Should().BeTrue();
        FailureClassification.IsTransient(new SocketException((int)SocketError.ConnectionReset)).Should().BeTrue();
        FailureClassification.IsTransient(new HttpRequestException("response ended prematurely")).Should().BeTrue();
        FailureClassification.IsTransient(new TimeoutRejectedException()).Should().BeTrue();
        FailureClassification.IsTransient(new TimeoutException()).Should().BeTrue();
        FailureClassification.IsTransient(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())).Should().BeTrue();
    }

    [Fact]
    public void Unknown_failures_get_a_chunk_s_remaining_attempts_but_no_time_bounded_retries()
    {
        foreach (var error in new Exception[] { new InvalidOperationException("unexpected"), new NpgsqlException("protocol") })
        {
            FailureClassification.Classify(error).Should().Be(FailureClass.Unknown);
            FailureClassification.MayPassOnRetry(error).Should().BeTrue();
            FailureClassification.IsTransient(error).Should().BeFalse();
        }
    }

    [Fact]
    public void Cancellation_is_never_retried_by_a_time_bounded_retry()
    {
        FailureClassification.IsTransient(new OperationCanceledException()).Should().BeFalse();
        FailureClassification.IsTransient(new TaskCanceledException()).Should().BeFalse();
    }
}
