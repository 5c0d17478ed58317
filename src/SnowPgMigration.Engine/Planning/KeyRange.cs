namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// A half-open key range <c>[Lower, Upper)</c>; a null bound is open. Consecutive ranges share a
/// boundary, inclusive on the upper range's side, so together they cover every non-null key.
/// </summary>
public sealed record KeyRange(object? Lower, object? Upper, long ExpectedRows);
