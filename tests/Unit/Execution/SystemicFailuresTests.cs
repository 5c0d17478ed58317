using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;

namespace SnowPgMigration.Tests.Unit.Execution;

public sealed class SystemicFailuresTests
{
    private static PostgresException Postgres(string sqlState, string message = "boom") => new(message, "ERROR", "ERROR", sqlState);

    [Fact]
    public void Three_chunks_in_a_row_failed_by_one_systemic_cause_trip_it_and_the_error_names_table_cause_and_message()
    {
        var failures = new SystemicFailures();
        failures.Failed(Postgres("42501", "permission denied for table orders"));
        failures.Failed(Postgres("42501", "permission denied for table orders"));
        failures.Tripped.Should().BeFalse();

        failures.Failed(Postgres("42501", "permission denied for table orders"));

        failures.Tripped.Should().BeTrue();
        var error = failures.StoppedError("public.orders");
        error.Error.Should().Be(ErrorCatalog.TableStoppedOnSystemicError);
        error.Message.Should().Contain("public.orders").And.Contain("3 chunks in a row").And.Contain("PostgreSQL 42501").And.Contain("permission denied for table orders");
    }

    [Fact]
    public void A_committed_chunk_another_cause_or_a_data_error_in_between_starts_the_count_again()
    {
        var failures = new SystemicFailures();
        failures.Failed(Postgres("42703"));
        failures.Failed(Postgres("42703"));
        failures.Succeeded();
        failures.Failed(Postgres("42703"));
        failures.Failed(Postgres("42501"));
        failures.Failed(Postgres("22P02"));
        failures.Failed(Postgres("42501"));
        failures.Failed(Postgres("42501"));
        failures.Tripped.Should().BeFalse("no cause failed three chunks in a row");
    }

    [Fact]
    public void Bad_values_and_transient_failures_are_not_systemic()
    {
        SystemicFailures.SystemicCause(Postgres("22P02")).Should().BeNull();
        SystemicFailures.SystemicCause(Postgres("40001")).Should().BeNull();
        SystemicFailures.SystemicCause(new TimeoutException()).Should().BeNull();
        SystemicFailures.SystemicCause(new SfPgException(ErrorCatalog.ValueConversionFailed, "bad value", null, null)).Should().BeNull();
        SystemicFailures.SystemicCause(new SfPgException(ErrorCatalog.TargetTableMissing, "no table", null, null)).Should().Be(ErrorCatalog.TargetTableMissing.Code);
        SystemicFailures.SystemicCause(new InvalidOperationException("wrapped", Postgres("42501"))).Should().Be("PostgreSQL 42501");
    }
}
