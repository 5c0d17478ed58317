using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Status;

public sealed class IndexBackupStoreTests
{
    [Fact]
    public async Task Definitions_are_saved_once_and_stay_listed_until_restored_even_for_a_later_run()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var crashed = await db.CreateRunWithChunksAsync();
        var original = new IndexDefinition("public", "orders", IndexObjectKind.Index, "orders_created_idx",
            "CREATE INDEX orders_created_idx ON public.orders USING btree (created)");
        var primaryKey = new IndexDefinition("public", "orders", IndexObjectKind.PrimaryKey, "orders_pkey",
            "ALTER TABLE public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id)");

        (await db.Store.IndexBackups.SaveAsync(crashed.RunId, [original, primaryKey], CancellationToken.None)).Should().Be(2);
        (await db.Store.IndexBackups.SaveAsync(crashed.RunId, [original with { Definition = "CREATE INDEX changed" }], CancellationToken.None))
            .Should().Be(0);
        foreach (var saved in await db.Store.IndexBackups.ListAsync(crashed.RunId, null, null, false, CancellationToken.None))
        {
            await using var connection = await db.Store.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            (await db.Store.IndexBackups.MarkDroppedAsync(saved, transaction, CancellationToken.None)).Should().BeTrue();
            await transaction.CommitAsync();
        }

        // A new run after a crash finds what the crashed run dropped, primary key first.
        var pending = await db.Store.IndexBackups.ListAsync(null, "public", "orders", unrestoredOnly: true, CancellationToken.None);
        pending.Select(b => b.Name).Should().Equal("orders_pkey", "orders_created_idx");
        pending.Should().OnlyContain(b => b.RunId == crashed.RunId && b.DroppedAt != null && b.RestoredAt == null);
        pending[1].Definition.Should().Be(original.Definition);
        pending[0].Kind.Should().Be(IndexObjectKind.PrimaryKey);

        (await db.Store.IndexBackups.MarkRestoredAsync(pending[0], null, CancellationToken.None)).Should().BeTrue();
        (await db.Store.IndexBackups.ListAsync(null, "public", "orders", unrestoredOnly: true, CancellationToken.None))
            .Select(b => b.Name).Should().Equal("orders_created_idx");
        (await db.Store.IndexBackups.ListAsync(null, "public", "other", unrestoredOnly: false, CancellationToken.None)).Should().BeEmpty();
    }
}
