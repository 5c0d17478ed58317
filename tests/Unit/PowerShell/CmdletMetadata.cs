using System.Management.Automation;
using System.Reflection;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>
/// The cmdlets of the module as PowerShell sees them, read from attribute metadata: the reference
/// System.Management.Automation in a test process returns defaults from attribute properties, so the
/// constructor and named arguments are read instead.
/// </summary>
internal sealed record CmdletInfo(
    Type Type, string Verb, string Noun, bool SupportsShouldProcess, string ConfirmImpact, string? DefaultParameterSet,
    IReadOnlyList<Type> OutputTypes, IReadOnlyList<ParameterInfo> Parameters)
{
    /// <summary>The named parameter sets, the default first; empty when every parameter is in every set.</summary>
    public IReadOnlyList<string> ParameterSets =>
        Parameters.SelectMany(p => p.Sets).Distinct().OrderBy(s => s == DefaultParameterSet ? 0 : 1).ToList();

    public string Name => $"{Verb}-{Noun}";

    public ParameterInfo Parameter(string name) => Parameters.Single(p => p.Name == name);
}

internal sealed record ParameterInfo(
    string Name, Type Type, bool Mandatory, int? Position, bool FromPipeline, bool FromPipelineByPropertyName,
    IReadOnlyList<string> Aliases, IReadOnlyList<string> ValidValues, Type? Completer, IReadOnlyList<string> Sets)
{
    /// <summary>True when the parameter is in <paramref name="set"/> (parameters without a set are in all).</summary>
    public bool InSet(string set) => Sets.Count == 0 || Sets.Contains(set);
}

internal static class CmdletMetadata
{
    public static Assembly ModuleAssembly => typeof(SfPgRun).Assembly;

    public static IReadOnlyList<CmdletInfo> All { get; } = ModuleAssembly.GetTypes()
        .Where(t => Attribute(t, typeof(CmdletAttribute)) is not null)
        .Select(Read)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    public static CmdletInfo Get(string name) => All.Single(c => c.Name == name);

    private static CmdletInfo Read(Type type)
    {
        var cmdlet = Attribute(type, typeof(CmdletAttribute))!;
        var outputs = type.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(OutputTypeAttribute))
            .SelectMany(a => Values(a.ConstructorArguments))
            .OfType<Type>()
            .ToList();
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attribute: Attribute(p, typeof(ParameterAttribute)),
                Sets: p.GetCustomAttributesData().Where(a => a.AttributeType == typeof(ParameterAttribute)).Select(a => Named(a, "ParameterSetName") as string).OfType<string>().ToList()))
            .Where(p => p.Attribute is not null)
            .Select(p => new ParameterInfo(
                p.Property.Name,
                Nullable.GetUnderlyingType(p.Property.PropertyType) ?? p.Property.PropertyType,
                Named(p.Attribute!, "Mandatory") is true,
                Named(p.Attribute!, "Position") as int?,
                Named(p.Attribute!, "ValueFromPipeline") is true,
                Named(p.Attribute!, "ValueFromPipelineByPropertyName") is true,
                Strings(Attribute(p.Property, typeof(AliasAttribute))),
                Strings(Attribute(p.Property, typeof(ValidateSetAttribute))),
                Attribute(p.Property, typeof(ArgumentCompleterAttribute))?.ConstructorArguments.Select(a => a.Value).OfType<Type>().FirstOrDefault(),
                p.Sets))
            .ToList();
        return new CmdletInfo(
            type,
            (string)cmdlet.ConstructorArguments[0].Value!,
            (string)cmdlet.ConstructorArguments[1].Value!,
            Named(cmdlet, "SupportsShouldProcess") is true,
            Named(cmdlet, "ConfirmImpact") is int impact ? ((ConfirmImpact)impact).ToString() : nameof(ConfirmImpact.Medium),
            Named(cmdlet, "DefaultParameterSetName") as string,
            outputs,
            parameters);
    }

    private static CustomAttributeData? Attribute(MemberInfo member, Type attribute) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == attribute);

    private static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.MemberName == name).TypedValue.Value;

    private static IEnumerable<object?> Values(IEnumerable<CustomAttributeTypedArgument> arguments) =>
        arguments.SelectMany(a => a.Value is IEnumerable<CustomAttributeTypedArgument> array ? array.Select(x => x.Value) : [a.Value]);

    private static List<string> Strings(CustomAttributeData? attribute) =>
        attribute is null ? [] : Values(attribute.ConstructorArguments).OfType<string>().ToList();
}
