using System.Globalization;
using System.Text.RegularExpressions;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// The size a target column declares: numeric(p,s) precision and scale, varchar(n)/char(n) length.
/// Null parts are unconstrained (plain <c>numeric</c>, <c>text</c>, <c>varchar</c>).
/// </summary>
public sealed partial record TargetTypeLimits(int? Precision, int? Scale, int? Length)
{
    public static TargetTypeLimits Of(TargetColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var modifiers = Modifiers().Match(column.DisplayType);
        if (!modifiers.Success)
        {
            return new TargetTypeLimits(null, null, null);
        }

        var first = int.Parse(modifiers.Groups[1].Value, CultureInfo.InvariantCulture);
        int? second = modifiers.Groups[2].Success ? int.Parse(modifiers.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        return column.TypeName switch
        {
            "numeric" => new TargetTypeLimits(first, second ?? 0, null),
            "varchar" or "bpchar" => new TargetTypeLimits(null, null, first),
            _ => new TargetTypeLimits(null, null, null),
        };
    }

    // format_type writes the modifiers in parentheses: numeric(10,2), character varying(10), character(3).
    [GeneratedRegex(@"\((\d+)(?:,\s*(-?\d+))?\)")]
    private static partial Regex Modifiers();
}
