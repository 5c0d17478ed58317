using Npgsql;
using NpgsqlTypes;

namespace SnowPgMigration.Engine.Status;

/// <summary>Typed parameters, so a null still tells PostgreSQL its type.</summary>
internal static class StatusParameters
{
    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection parameters, string name, NpgsqlDbType type, object? value)
    {
        parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return parameters;
    }

    public static NpgsqlParameterCollection WithText(this NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.With(name, NpgsqlDbType.Text, value);

    public static NpgsqlParameterCollection WithUuid(this NpgsqlParameterCollection parameters, string name, Guid? value) =>
        parameters.With(name, NpgsqlDbType.Uuid, value);

    public static NpgsqlParameterCollection WithInt(this NpgsqlParameterCollection parameters, string name, int? value) =>
        parameters.With(name, NpgsqlDbType.Integer, value);

    public static NpgsqlParameterCollection WithBigint(this NpgsqlParameterCollection parameters, string name, long? value) =>
        parameters.With(name, NpgsqlDbType.Bigint, value);

    public static NpgsqlParameterCollection WithInterval(this NpgsqlParameterCollection parameters, string name, TimeSpan? value) =>
        parameters.With(name, NpgsqlDbType.Interval, value);

    public static NpgsqlParameterCollection WithBool(this NpgsqlParameterCollection parameters, string name, bool value) =>
        parameters.With(name, NpgsqlDbType.Boolean, value);

    public static NpgsqlParameterCollection WithJsonb(this NpgsqlParameterCollection parameters, string name, string? json) =>
        parameters.With(name, NpgsqlDbType.Jsonb, json);
}
