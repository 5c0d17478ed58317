using NpgsqlTypes;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>Where a binary COPY's rows go, value by value; disposing it before <see cref="CompleteAsync"/> abandons the COPY.</summary>
internal interface ICopyRowSink : IAsyncDisposable
{
    void StartRow();

    void WriteNull();

    /// <summary>Writes a converted, non-null value as <paramref name="type"/>.</summary>
    void Write(object value, NpgsqlDbType type);

    Task CompleteAsync(CancellationToken cancellationToken);
}
