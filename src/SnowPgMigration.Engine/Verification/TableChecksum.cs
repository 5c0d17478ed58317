namespace SnowPgMigration.Engine.Verification;

/// <summary>Row count and order-independent checksum of one side of a table.</summary>
public sealed record TableChecksum(long Rows, string Checksum);

/// <summary>Source and target side by side.</summary>
public sealed record TableVerification(string Table, TableChecksum Source, TableChecksum Target)
{
    public bool CountsMatch => Source.Rows == Target.Rows;

    public bool Matches => CountsMatch && Source.Checksum == Target.Checksum;

    public override string ToString() => Matches
        ? $"{Table}: {Source.Rows:N0} rows, checksum {Source.Checksum} on both sides"
        : $"{Table}: source {Source.Rows:N0} rows (checksum {Source.Checksum}), target {Target.Rows:N0} rows (checksum {Target.Checksum})";
}
