using System.Management.Automation;
using System.Reflection;

namespace SnowPgMigration.Tests.Integration.PowerShell;

/// <summary>
/// Binds an object to a cmdlet's ValueFromPipelineByPropertyName parameters the way PowerShell does:
/// each such parameter takes the piped object's property of the same name, when it has a value.
/// </summary>
internal static class PipelineBinder
{
    public static TCmdlet Bind<TCmdlet>(object piped, Action<TCmdlet>? commandLine = null)
        where TCmdlet : new()
    {
        var cmdlet = new TCmdlet();
        commandLine?.Invoke(cmdlet);
        foreach (var parameter in typeof(TCmdlet).GetProperties().Where(ByPropertyName))
        {
            var value = piped.GetType().GetProperty(parameter.Name)?.GetValue(piped);
            if (value is not null && IsUnset(parameter.GetValue(cmdlet)))
            {
                parameter.SetValue(cmdlet, value);
            }
        }

        return cmdlet;
    }

    private static bool IsUnset(object? value) => value is null || value is Guid g && g == Guid.Empty || value is string { Length: 0 } || value is 0;

    private static bool ByPropertyName(PropertyInfo property) =>
        property.GetCustomAttributesData().Any(a => a.AttributeType == typeof(ParameterAttribute)
            && a.NamedArguments.Any(n => n.MemberName == "ValueFromPipelineByPropertyName" && n.TypedValue.Value is true));
}
