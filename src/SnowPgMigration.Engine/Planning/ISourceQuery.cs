namespace SnowPgMigration.Engine.Planning;

/// <summary>Runs a read-only statement against the source and streams its rows.</summary>
public interface ISourceQuery
{
    IAsyncEnumerable<object?[]> QueryAsync(string sql, CancellationToken cancellationToken);
}
