using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>The module's contract with PowerShell users: names, exports, output types, pipeline binding, confirmation.</summary>
public sealed partial class CmdletContractTests
{
    public static TheoryData<string> CmdletNames => new(CmdletMetadata.All.Select(c => c.Name));

    private static readonly string[] ExpectedCmdlets =
    [
        "Get-SfPgChunk", "Get-SfPgRun", "Get-SfPgRunStatus", "Get-SfPgTableStatus", "Install-SfPgStatusSchema", "Remove-SfPgRun",
        "Reset-SfPgChunk", "Resume-SfPgMigration", "Start-SfPgMigration", "Stop-SfPgRun", "Test-SfPgConfig", "Test-SfPgIntegrity",
        "Test-SfPgTable", "Find-SfPgGap", "Repair-SfPgTable",
    ];

    [Fact]
    public void The_module_has_the_cmdlets_of_the_design() =>
        CmdletMetadata.All.Select(c => c.Name).Should().BeEquivalentTo(ExpectedCmdlets);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_uses_an_approved_verb_and_the_SfPg_noun_prefix(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        ApprovedVerbs().Should().Contain(cmdlet.Verb, "Get-Verb lists the verbs PowerShell approves");
        cmdlet.Noun.Should().StartWith("SfPg");
        cmdlet.Type.Name.Should().Be($"{cmdlet.Verb}{cmdlet.Noun}Command", "class names follow the cmdlet names");
        cmdlet.Type.IsSealed.Should().BeTrue();
        cmdlet.Type.Should().BeAssignableTo<SfPgCmdlet>("every cmdlet drains engine events and cancels through the base class");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_declares_output_types_defined_with_the_cmdlets(string name)
    {
        var outputs = CmdletMetadata.Get(name).OutputTypes;
        outputs.Should().NotBeEmpty();
        outputs.Where(t => t != typeof(bool)).Should().OnlyContain(t => t.Assembly == CmdletMetadata.ModuleAssembly && t.Namespace == typeof(SfPgRun).Namespace);
    }

    [Fact]
    public void The_manifest_exports_exactly_the_compiled_cmdlets()
    {
        var manifest = File.ReadAllText(RepositoryFiles.Path("module", "SnowPgMigration.psd1"));
        var exports = ExportList().Match(manifest);
        exports.Success.Should().BeTrue("the manifest lists CmdletsToExport explicitly");
        var exported = Quoted().Matches(exports.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
        exported.Should().OnlyHaveUniqueItems();
        exported.Should().BeEquivalentTo(CmdletMetadata.All.Select(c => c.Name));
        manifest.Should().MatchRegex(@"FunctionsToExport\s*=\s*@\(\)").And.MatchRegex(@"AliasesToExport\s*=\s*@\(\)").And.MatchRegex(@"VariablesToExport\s*=\s*@\(\)");
        manifest.Should().Contain("RootModule           = 'SnowPgMigration.PowerShell.dll'");
        manifest.Should().NotContain("RequiredAssemblies").And.NotContain("NestedModules");
    }

    [Fact]
    public void The_version_has_one_source_which_the_assemblies_carry_and_the_manifest_leaves_to_the_build()
    {
        var props = File.ReadAllText(RepositoryFiles.Path("Directory.Build.props"));
        var version = Regex.Match(props, @"<Version>([^<]+)</Version>").Groups[1].Value;
        version.Should().MatchRegex(@"^\d+\.\d+\.\d+$");
        CmdletMetadata.ModuleAssembly.GetName().Version!.ToString(3).Should().Be(version);
        typeof(RunStatus).Assembly.GetName().Version!.ToString(3).Should().Be(version);

        // The assembled manifest is stamped with it (tests/Pester/Module.Tests.ps1); the source one holds a placeholder.
        var manifest = File.ReadAllText(RepositoryFiles.Path("module", "SnowPgMigration.psd1"));
        Regex.Match(manifest, @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value.Should().Be("0.0.0");
    }

    [Theory]
    [InlineData("Reset-SfPgChunk", typeof(SfPgChunk))]
    [InlineData("Get-SfPgRunStatus", typeof(SfPgRun))]
    [InlineData("Stop-SfPgRun", typeof(SfPgRun))]
    [InlineData("Stop-SfPgRun", typeof(SfPgRunStatus))]
    [InlineData("Resume-SfPgMigration", typeof(SfPgRun))]
    [InlineData("Get-SfPgTableStatus", typeof(SfPgTableStatus))]
    [InlineData("Get-SfPgChunk", typeof(SfPgTableStatus))]
    [InlineData("Test-SfPgIntegrity", typeof(SfPgIntegrityFinding))]
    public void Every_parameter_bound_by_property_name_has_a_property_of_the_piped_object(string cmdlet, Type pipedType)
    {
        var bound = CmdletMetadata.Get(cmdlet).Parameters.Where(p => p.FromPipelineByPropertyName).ToList();
        bound.Should().NotBeEmpty();
        foreach (var parameter in bound)
        {
            var property = pipedType.GetProperty(parameter.Name, BindingFlags.Public | BindingFlags.Instance);
            property.Should().NotBeNull($"{cmdlet} binds -{parameter.Name} from {pipedType.Name}");
            var propertyType = Nullable.GetUnderlyingType(property!.PropertyType) ?? property.PropertyType;
            propertyType.Should().Be(parameter.Type, $"{pipedType.Name}.{parameter.Name} must convert to -{parameter.Name}");
        }
    }

    [Theory]
    [InlineData("Get-SfPgTableStatus", typeof(SfPgRun))]
    [InlineData("Get-SfPgChunk", typeof(SfPgRun))]
    [InlineData("Remove-SfPgRun", typeof(SfPgRun))]
    [InlineData("Get-SfPgRun", typeof(SfPgRun))]
    public void Runs_pipe_into_cmdlets_that_take_more_than_a_run(string cmdlet, Type pipedType)
    {
        var parameters = CmdletMetadata.Get(cmdlet).Parameters;
        foreach (var mandatory in parameters.Where(p => p.Mandatory && p.FromPipelineByPropertyName))
        {
            pipedType.GetProperty(mandatory.Name).Should().NotBeNull($"{cmdlet} needs -{mandatory.Name} from each {pipedType.Name}");
        }

        parameters.Single(p => p.Name == "RunId").FromPipelineByPropertyName.Should().BeTrue();
        parameters.Single(p => p.Name == "Connection").FromPipelineByPropertyName.Should().BeTrue();
    }

    [Theory]
    [InlineData("Stop-SfPgRun", "High")]
    [InlineData("Remove-SfPgRun", "High")]
    [InlineData("Reset-SfPgChunk", "Medium")]
    [InlineData("Start-SfPgMigration", "Medium")]
    [InlineData("Resume-SfPgMigration", "Medium")]
    [InlineData("Install-SfPgStatusSchema", "Medium")]
    public void State_changing_cmdlets_support_ShouldProcess_with_the_right_impact(string name, string impact)
    {
        var cmdlet = CmdletMetadata.Get(name);
        cmdlet.SupportsShouldProcess.Should().BeTrue();
        cmdlet.ConfirmImpact.Should().Be(impact);
        if (impact == "High")
        {
            cmdlet.Parameters.Should().Contain(p => p.Name == "Force" && p.Type == typeof(SwitchParameter), "runbooks must be able to skip the confirmation");
        }
    }

    [Fact]
    public void Reading_cmdlets_change_nothing_and_ask_nothing() =>
        CmdletMetadata.All.Where(c => c.Verb is "Get" or "Test").Should().OnlyContain(c => !c.SupportsShouldProcess);

    [Fact]
    public void Status_filters_accept_exactly_the_stored_status_names()
    {
        CmdletMetadata.Get("Get-SfPgRun").Parameter("Status").ValidValues.Should().Equal(StatusText.RunStatusNames);
        CmdletMetadata.Get("Get-SfPgChunk").Parameter("Status").ValidValues.Should().Equal(StatusText.ProgressStatusNames);
        CmdletMetadata.Get("Get-SfPgTableStatus").Parameter("Status").ValidValues.Should().Equal(StatusText.ProgressStatusNames);
    }

    [Fact]
    public void Source_and_Table_complete_from_the_config_file()
    {
        foreach (var cmdlet in CmdletMetadata.All)
        {
            foreach (var parameter in cmdlet.Parameters.Where(p => p.Name is "Source" or "Table" && p.Type == typeof(string)))
            {
                parameter.Completer.Should().Be(parameter.Name == "Source" ? typeof(SourceNameCompleter) : typeof(TableNameCompleter), $"{cmdlet.Name} -{parameter.Name}");
            }
        }

        typeof(SourceNameCompleter).Should().BeAssignableTo<IArgumentCompleter>();
        typeof(TableNameCompleter).Should().BeAssignableTo<IArgumentCompleter>();
    }

    [Fact]
    public void Secrets_are_taken_as_credentials_and_secure_strings_never_as_text()
    {
        foreach (var cmdlet in CmdletMetadata.All)
        {
            foreach (var parameter in cmdlet.Parameters.Where(p => Regex.IsMatch(p.Name, "Password|Passphrase|Credential|Secret|Token", RegexOptions.IgnoreCase)))
            {
                parameter.Type.Should().Match(t => t == typeof(PSCredential) || t == typeof(System.Security.SecureString), $"{cmdlet.Name} -{parameter.Name}");
            }
        }

        CmdletMetadata.Get("Start-SfPgMigration").Parameter("Credential").Type.Should().Be<PSCredential>();
        CmdletMetadata.Get("Start-SfPgMigration").Parameter("SnowflakePrivateKeyPassphrase").Type.Should().Be<System.Security.SecureString>();
    }

    [Fact]
    public void Every_status_cmdlet_takes_the_connection_parameters()
    {
        string[] connection = ["ConfigPath", "Source", "EnvFile", "ConnectionString", "Credential", "Connection"];
        foreach (var cmdlet in CmdletMetadata.All.Where(c => c.Type.IsSubclassOf(typeof(SfPgStatusCmdlet))))
        {
            cmdlet.Parameters.Select(p => p.Name).Should().Contain(connection, cmdlet.Name);
        }

        CmdletMetadata.All.Count(c => c.Type.IsSubclassOf(typeof(SfPgStatusCmdlet))).Should().Be(8);
    }

    [Fact]
    public void Status_cmdlets_name_their_database_in_one_of_three_parameter_sets()
    {
        foreach (var cmdlet in CmdletMetadata.All.Where(c => c.Type.IsSubclassOf(typeof(SfPgStatusCmdlet))))
        {
            cmdlet.DefaultParameterSet.Should().Be(SfPgStatusCmdlet.ConfigSet, cmdlet.Name);
            cmdlet.ParameterSets.Should().Equal([SfPgStatusCmdlet.ConfigSet, SfPgStatusCmdlet.ConnectionStringSet, SfPgStatusCmdlet.PipelineSet], cmdlet.Name);
            cmdlet.Parameter("ConfigPath").Should().Match<ParameterInfo>(p => p.Mandatory && p.Sets.SequenceEqual(new[] { SfPgStatusCmdlet.ConfigSet }));
            cmdlet.Parameter("ConnectionString").Should().Match<ParameterInfo>(p => p.Mandatory && p.Sets.SequenceEqual(new[] { SfPgStatusCmdlet.ConnectionStringSet }));
            cmdlet.Parameter("Connection").Should().Match<ParameterInfo>(p => p.Mandatory && p.FromPipelineByPropertyName && p.Sets.SequenceEqual(new[] { SfPgStatusCmdlet.PipelineSet }));
            cmdlet.Parameter("Credential").Sets.Should().BeEquivalentTo([SfPgStatusCmdlet.ConfigSet, SfPgStatusCmdlet.ConnectionStringSet]);

            // Every other mandatory parameter is in every set, so an object from the pipeline can satisfy the Connection set.
            foreach (var mandatory in cmdlet.Parameters.Where(p => p.Mandatory && p.Sets.Count == 0 && p.Name != "OlderThan"))
            {
                mandatory.FromPipelineByPropertyName.Should().BeTrue($"{cmdlet.Name} -{mandatory.Name} must come from the piped object too");
            }
        }
    }

    [Fact]
    public void Output_objects_are_sealed_get_only_and_free_of_dependency_types()
    {
        var models = CmdletMetadata.ModuleAssembly.GetTypes().Where(t => t.IsPublic && t.Namespace == typeof(SfPgRun).Namespace).ToList();
        models.Should().HaveCountGreaterThanOrEqualTo(10);
        foreach (var model in models)
        {
            model.IsSealed.Should().BeTrue(model.Name);
            model.Name.Should().StartWith("SfPg");
            model.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Should().BeEmpty($"{model.Name} objects are made by the module only");
            foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                (property.SetMethod?.IsPublic ?? false).Should().BeFalse($"{model.Name}.{property.Name} is get-only");
                foreach (var type in Flatten(property.PropertyType))
                {
                    new[] { "Npgsql", "Polly.Core", "SnowPgMigration.Engine" }.Should().NotContain(type.Assembly.GetName().Name, $"{model.Name}.{property.Name} must not expose {type}");
                }
            }
        }
    }

    [Fact]
    public void Format_data_gives_every_output_type_a_table_view_by_full_type_name()
    {
        var format = System.Xml.Linq.XDocument.Load(RepositoryFiles.Path("module", "SnowPgMigration.Format.ps1xml"));
        var viewed = format.Descendants("TypeName").Select(t => t.Value).ToList();
        var outputs = CmdletMetadata.All.SelectMany(c => c.OutputTypes).Where(t => t != typeof(bool)).Distinct();
        viewed.Should().Contain(outputs.Select(t => t.FullName!));
        viewed.Should().OnlyContain(name => CmdletMetadata.ModuleAssembly.GetType(name) != null, "views name existing types");
        foreach (var view in format.Descendants("View"))
        {
            var type = CmdletMetadata.ModuleAssembly.GetType(view.Element("ViewSelectedBy")!.Element("TypeName")!.Value)!;
            view.Descendants("TableColumnHeader").Count().Should().Be(view.Descendants("TableColumnItem").Count());
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
            {
                type.GetProperty(property).Should().NotBeNull($"the view of {type.Name} shows {property}");
            }
        }
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var inner in Flatten(argument))
            {
                yield return inner;
            }
        }
    }

    internal static HashSet<string> ApprovedVerbs() =>
        new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic), typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"CmdletsToExport\s*=\s*@\(([^)]*)\)")]
    private static partial Regex ExportList();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();
}
