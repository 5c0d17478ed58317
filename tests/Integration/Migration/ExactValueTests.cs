using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>Values arrive exactly: 38-digit numbers digit for digit, floats bit for bit, narrowing reported.</summary>
public sealed class ExactValueTests
{
    private const string Tables = """[ { "source": "EXACT", "target": "exact", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""";

    [Fact]
    public async Task Numbers_of_38_digits_and_floats_arrive_digit_for_digit()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."EXACT" ("ID" bigint, "BIG" numeric(38,0), "SCALED" numeric(38,10), "F" double precision);
            INSERT INTO "PUBLIC"."EXACT" VALUES
              (1, 99999999999999999999999999999999999999, 9999999999999999999999999999.9999999999, 0.1),
              (2, -99999999999999999999999999999999999999, -9999999999999999999999999999.9999999999, -1.7976931348623157e308),
              (3, 12345678901234567890123456789012345678, 1234567890123456789012345678.1234567891, 4.9406564584124654e-324),
              (4, -79228162514264337593543950336, 0.0000000001, 2.2250738585072014e-308),
              (5, 0, -0.0000000001, 'NaN'), (6, 1, 79228162514264337593.5439503350, '-Infinity'),
              (7, NULL, NULL, 0.30000000000000004);
            """);
        await env.TargetSql("CREATE TABLE exact (id bigint, big numeric(38,0), scaled numeric(38,10), f double precision)");

        var run = (await env.RunAsync(env.Config(Tables))).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        run.Tables.Single().RowsCopied.Should().Be(7);
        (await env.TargetFingerprint("exact")).Should().Be(await env.SourceFingerprint("EXACT"));
        (await env.TargetScalar<string>("SELECT scaled::text FROM exact WHERE id = 3")).Should().Be("1234567890123456789012345678.1234567891");
    }
}
