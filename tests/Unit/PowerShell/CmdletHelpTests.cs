using SnowPgMigration.HelpBuilder;

namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>The help gate: every cmdlet has a platyPS page with a synopsis, examples and every parameter as it is declared.</summary>
public sealed class CmdletHelpTests
{
    public static TheoryData<string> CmdletNames => new(CmdletMetadata.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_has_a_platyPS_page_with_synopsis_description_and_examples(string name)
    {
        var path = RepositoryFiles.Path("docs", "cmdlets", name + ".md");
        File.Exists(path).Should().BeTrue($"docs/cmdlets/{name}.md documents {name}");
        var help = MarkdownHelpReader.ReadFile(path);
        help.Name.Should().Be(name);
        help.Metadata.Should().Contain("schema", "2.0.0").And.Contain("external help file", "SnowPgMigration.PowerShell.dll-Help.xml");
        help.Synopsis.Should().NotBeNullOrWhiteSpace();
        help.Description.Should().NotBeEmpty();
        help.Examples.Should().HaveCountGreaterThanOrEqualTo(2);
        help.Examples.Should().OnlyContain(e => e.Code.Contains(name, StringComparison.Ordinal) && e.Remarks.Count > 0, "each example uses the cmdlet and explains itself");
        var sets = CmdletMetadata.Get(name).ParameterSets;
        help.Syntax.Select(s => s.ParameterSet).Should().Equal(sets.Count == 0 ? ["__AllParameterSets"] : sets, "one syntax block per parameter set, the default first");
        help.Syntax[0].IsDefault.Should().Be(sets.Count > 0, "the default set is marked (Default)");
        help.Syntax.Should().OnlyContain(s => s.Code.StartsWith(name + " ", StringComparison.Ordinal));
        help.Outputs.Select(o => o.Type).Should().Contain(CmdletMetadata.Get(name).OutputTypes.Select(t => t.FullName!));
        help.Inputs.Should().NotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_parameter_is_documented_as_it_is_declared(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        var help = MarkdownHelpReader.ReadFile(RepositoryFiles.Path("docs", "cmdlets", name + ".md"));
        var expected = cmdlet.Parameters.Select(p => p.Name).Concat(cmdlet.SupportsShouldProcess ? ["WhatIf", "Confirm"] : []);
        help.Parameters.Select(p => p.Name).Should().BeEquivalentTo(expected, "every parameter and nothing else is documented");

        foreach (var parameter in cmdlet.Parameters)
        {
            var documented = help.Parameters.Single(p => p.Name == parameter.Name);
            documented.Description.Should().NotBeEmpty($"-{parameter.Name} is described");
            documented.Type.Should().Be(parameter.Type.Name, $"-{parameter.Name}");
            documented.Required.Should().Be(parameter.Mandatory, $"-{parameter.Name} Required");
            documented.Position.Should().Be(parameter.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named", $"-{parameter.Name} Position");
            documented.PipelineInput.Should().Be(PipelineText(parameter), $"-{parameter.Name} pipeline input");
            documented.Aliases.Should().BeEquivalentTo(parameter.Aliases, $"-{parameter.Name} aliases");
            documented.AcceptedValues.Should().Equal(parameter.ValidValues, $"-{parameter.Name} accepted values");
            documented.ParameterSets.Should().BeEquivalentTo(parameter.Sets, $"-{parameter.Name} parameter sets");
            foreach (var syntax in help.Syntax)
            {
                var inSet = syntax.ParameterSet == "__AllParameterSets" || parameter.InSet(syntax.ParameterSet);
                System.Text.RegularExpressions.Regex.IsMatch(syntax.Code, $"-{parameter.Name}(?![A-Za-z])").Should().Be(inSet, $"the {syntax.ParameterSet} syntax shows -{parameter.Name} only when it is in that set");
            }
        }
    }

    [Fact]
    public void The_about_topic_covers_concepts_config_status_tables_and_a_runbook()
    {
        var text = AboutTopicWriter.Convert(File.ReadAllText(RepositoryFiles.Path("docs", "about_SnowPgMigration.md")));
        text.Should().StartWith("TOPIC\n    about_SnowPgMigration");
        text.Should().Contain("SHORT DESCRIPTION").And.Contain("LONG DESCRIPTION");
        foreach (var subject in new[] { "Concepts", "The config file", "The status schema", "Runbook example", "migration_chunk_status", "Get-AutomationPSCredential" })
        {
            text.Should().Contain(subject);
        }

        foreach (var cmdlet in CmdletMetadata.All)
        {
            text.Should().Contain(cmdlet.Name, "the about topic points to every cmdlet");
        }
    }

    private static string PipelineText(ParameterInfo parameter)
    {
        // platyPS's order.
        var ways = new List<string>();
        if (parameter.FromPipelineByPropertyName)
        {
            ways.Add("ByPropertyName");
        }

        if (parameter.FromPipeline)
        {
            ways.Add("ByValue");
        }

        return ways.Count == 0 ? "False" : $"True ({string.Join(", ", ways)})";
    }
}
