using System.Net;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary>
/// The emulator only reads: statements run as a role without superuser rights, in read-only
/// transactions, so programs, server files, DDL and DML are refused with Snowflake-shaped errors.
/// </summary>
public sealed class EmulatorReadOnlyTests
{
    [Fact]
    public async Task Copy_to_program_is_refused_and_runs_nothing()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        var marker = Path.Combine(Path.GetTempPath(), "sfpg-emulator-program-" + Guid.NewGuid().ToString("N"));

        var response = await server.SubmitAsync($"COPY (SELECT 1) TO PROGRAM 'touch {marker}'");

        ShouldBeRefused(response);
        File.Exists(marker).Should().BeFalse("no OS command may run through the emulator");
    }

    [Theory]
    [InlineData("CREATE TABLE made_through_the_api (id int)")]
    [InlineData("CREATE SCHEMA made_through_the_api")]
    [InlineData("CREATE TEMPORARY TABLE made_through_the_api (id int)")]
    [InlineData("CREATE FUNCTION made_through_the_api() RETURNS int LANGUAGE sql AS 'SELECT 1'")]
    public async Task Ddl_is_refused_and_creates_nothing(string statement)
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var response = await server.SubmitAsync(statement);

        ShouldBeRefused(response);
        (await server.PgAsync("SELECT count(*) FROM pg_class WHERE relname = 'made_through_the_api'")).Should().Be(0L);
        (await server.PgAsync("SELECT count(*) FROM pg_namespace WHERE nspname = 'made_through_the_api'")).Should().Be(0L);
        (await server.PgAsync("SELECT count(*) FROM pg_proc WHERE proname = 'made_through_the_api'")).Should().Be(0L);
    }

    [Theory]
    [InlineData("INSERT INTO kept VALUES (3, 'c')")]
    [InlineData("UPDATE kept SET name = 'changed'")]
    [InlineData("DELETE FROM kept")]
    [InlineData("TRUNCATE kept")]
    [InlineData("DROP TABLE kept")]
    [InlineData("ALTER TABLE kept ADD COLUMN extra int")]
    [InlineData("SELECT * FROM kept FOR UPDATE")]
    public async Task Dml_is_refused_and_the_rows_stay(string statement)
    {
        await using var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync("CREATE TABLE kept (id int, name text); INSERT INTO kept VALUES (1, 'a'), (2, 'b');");

        var response = await server.SubmitAsync(statement);

        ShouldBeRefused(response);
        (await server.PgAsync("SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM kept")).Should().Be("1:a,2:b");
        (await server.PgAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'kept'")).Should().Be(2L);
    }

    [Theory]
    [InlineData("SELECT pg_read_file('PG_VERSION')")]
    [InlineData("SELECT pg_ls_dir('.')")]
    [InlineData("SELECT lo_import('/etc/hostname')")]
    [InlineData("COPY kept FROM '/etc/hostname'")]
    [InlineData("SELECT set_config('default_transaction_read_only', 'off', false), nextval('counter')")]
    public async Task Superuser_only_functions_and_server_files_are_refused(string statement)
    {
        await using var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync("CREATE TABLE kept (id int); CREATE SEQUENCE counter;");

        var response = await server.SubmitAsync(statement);

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity, response.Body);
        response.Json.GetProperty("sqlState").GetString().Should().NotBe("00000");
        (await server.PgAsync("SELECT count(*) FROM kept")).Should().Be(0L);
        (await server.PgAsync("SELECT last_value FROM counter")).Should().Be(1L);
        (await server.PgAsync("SELECT is_called FROM counter")).Should().Be(false);
    }

    [Theory]
    [InlineData("COMMIT; SET default_transaction_read_only TO off; INSERT INTO kept VALUES (9)")]
    [InlineData("RESET ROLE; INSERT INTO kept VALUES (9)")]
    [InlineData("SET ROLE postgres; INSERT INTO kept VALUES (9)")]
    [InlineData("RESET SESSION AUTHORIZATION; INSERT INTO kept VALUES (9)")]
    [InlineData("SELECT set_config('role', 'postgres', false); INSERT INTO kept VALUES (9)")]
    public async Task A_statement_cannot_leave_the_read_only_role(string statements)
    {
        await using var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync("CREATE TABLE kept (id int)");

        var response = await server.SubmitAsync(statements, extra: new { parameters = new { MULTI_STATEMENT_COUNT = "0" } });

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity, response.Body);
        (await server.PgAsync("SELECT count(*) FROM kept")).Should().Be(0L);
    }

    [Fact]
    public async Task Statements_run_as_a_role_without_superuser_rights_in_a_read_only_transaction()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var response = await server.SubmitAsync(
            "SELECT current_user::text AS who, session_user::text AS session, current_setting('is_superuser') AS su, current_setting('transaction_read_only') AS ro, "
            + "(SELECT rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls FROM pg_roles WHERE rolname = current_user)::text AS rights");

        response.Status.Should().Be(HttpStatusCode.OK, response.Body);
        response.Rows[0].Should().Equal(server.Host.PostgresRole, server.Host.PostgresRole, "off", "on", "false");
    }

    [Fact]
    public async Task Tables_created_in_postgres_after_start_are_readable_whoever_owns_them()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        (await server.SubmitAsync("SELECT 1")).Status.Should().Be(HttpStatusCode.OK);
        var owner = "sfpg_other_owner_" + Guid.NewGuid().ToString("N")[..8];
        await server.PgAsync($"""
            CREATE ROLE {owner};
            CREATE SCHEMA "Later" AUTHORIZATION {owner};
            CREATE TABLE "Later"."Owned" (id int);
            ALTER TABLE "Later"."Owned" OWNER TO {owner};
            INSERT INTO "Later"."Owned" VALUES (7);
            CREATE VIEW "Later"."Seen" AS SELECT id * 2 AS doubled FROM "Later"."Owned";
            """);

        var table = await server.SubmitAsync("""SELECT id FROM "Later"."Owned" """);
        var view = await server.SubmitAsync("""SELECT doubled FROM "Later"."Seen" """);

        table.Status.Should().Be(HttpStatusCode.OK, table.Body);
        table.Rows.Single().Should().Equal("7");
        view.Rows.Single().Should().Equal("14");
        await server.DisposeAsync();
        await server.PgAsync($"""DROP SCHEMA "Later" CASCADE; DROP ROLE {owner};""");
    }

    [Fact]
    public async Task The_role_is_dropped_when_the_emulator_stops()
    {
        var server = await EmulatorTestServer.StartAsync();
        await server.PgAsync("CREATE TABLE kept (id int)");
        (await server.SubmitAsync("SELECT count(*) FROM kept")).Status.Should().Be(HttpStatusCode.OK);
        var role = server.Host.PostgresRole;
        (await server.PgAsync($"SELECT count(*) FROM pg_roles WHERE rolname = '{role}'")).Should().Be(1L);

        await server.DisposeAsync();

        (await server.PgAsync($"SELECT count(*) FROM pg_roles WHERE rolname = '{role}'")).Should().Be(0L);
    }

    private static void ShouldBeRefused(SqlApiResponse response)
    {
        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity, response.Body);
        response.Code.Should().Be("003001", response.Body);
        response.Json.GetProperty("sqlState").GetString().Should().Be("42501");
        response.Json.GetProperty("message").GetString().Should().StartWith("SQL access control error:\nInsufficient privileges");
        response.Keys.Should().StartWith(["code", "message", "sqlState", "statementHandle"]);
    }
}
