using System.Xml.Linq;
using SnowPgMigration.HelpBuilder;

namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>The markdown-to-MAML converter that builds the module's help where platyPS is not installed.</summary>
public sealed class HelpBuilderTests
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private const string Page = """
        ---
        external help file: Demo.dll-Help.xml
        Module Name: Demo
        schema: 2.0.0
        ---

        # Get-Widget

        ## SYNOPSIS
        Gets widgets
        from the store.

        ## SYNTAX

        ### ByName (Default)
        ```
        Get-Widget [-Name] <String> [-All] [<CommonParameters>]
        ```

        ### ById
        ```
        Get-Widget -Id <Int32> [<CommonParameters>]
        ```

        ## DESCRIPTION
        First paragraph
        wrapped over lines.

        - a list item
        - another item

        ## EXAMPLES

        ### Example 1: By name
        ```powershell
        Get-Widget -Name 'a & b'
        ```

        Gets the widget named a & b.

        ### Example 2: By id
        ```powershell
        Get-Widget -Id 7
        ```

        ## PARAMETERS

        ### -Name
        The widget's <name>.

        ```yaml
        Type: String
        Parameter Sets: ByName
        Aliases: WidgetName, N

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: True
        ```

        ### -Id
        The widget's id.

        ```yaml
        Type: Int32
        Parameter Sets: ById
        Aliases:
        Accepted values: 1, 7

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -All
        Every widget.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String
        A name.

        ## OUTPUTS

        ### Demo.Widget
        One per widget.

        ## NOTES
        Widgets are cached.

        ## RELATED LINKS

        [Set-Widget](Set-Widget.md)

        [Online](https://example.org/widgets)
        """;

    [Fact]
    public void Reads_every_section_of_a_platyPS_page()
    {
        var help = MarkdownHelpReader.Read(Page);

        help.Name.Should().Be("Get-Widget");
        help.Verb.Should().Be("Get");
        help.Noun.Should().Be("Widget");
        help.Metadata["schema"].Should().Be("2.0.0");
        help.Synopsis.Should().Be("Gets widgets from the store.");
        help.Syntax.Select(s => (s.ParameterSet, s.IsDefault)).Should().Equal(("ByName", true), ("ById", false));
        help.Syntax[1].Code.Should().Be("Get-Widget -Id <Int32> [<CommonParameters>]");
        help.Description.Should().Equal("First paragraph wrapped over lines.", "- a list item", "- another item");
        help.Examples.Should().HaveCount(2);
        help.Examples[0].Title.Should().Be("Example 1: By name");
        help.Examples[0].Code.Should().Be("Get-Widget -Name 'a & b'");
        help.Examples[0].Remarks.Should().Equal("Gets the widget named a & b.");
        help.Examples[1].Remarks.Should().BeEmpty();
        help.Parameters.Select(p => p.Name).Should().Equal("Name", "Id", "All");
        var name = help.Parameters[0];
        name.Type.Should().Be("String");
        name.ParameterSets.Should().Equal("ByName");
        name.Aliases.Should().Equal("WidgetName", "N");
        name.Required.Should().BeTrue();
        name.Position.Should().Be("0");
        name.PipelineInput.Should().Be("True (ByPropertyName)");
        name.Globbing.Should().BeTrue();
        help.Parameters[1].AcceptedValues.Should().Equal("1", "7");
        help.Parameters[2].IsSwitch.Should().BeTrue();
        help.Parameters[2].ParameterSets.Should().BeEmpty("(All) means every set");
        help.Inputs.Should().ContainSingle().Which.Should().BeEquivalentTo(new TypeHelp("System.String", ["A name."]));
        help.Outputs.Single().Type.Should().Be("Demo.Widget");
        help.Notes.Should().Equal("Widgets are cached.");
        help.RelatedLinks.Should().Equal(new LinkHelp("Set-Widget", "Set-Widget.md"), new LinkHelp("Online", "https://example.org/widgets"));
    }

    [Fact]
    public void Writes_MAML_that_Get_Help_reads()
    {
        var maml = XDocument.Parse(MamlWriter.Write([MarkdownHelpReader.Read(Page)]));

        maml.Root!.Name.Should().Be(XName.Get("helpItems", "http://msh"));
        maml.Root.Attribute("schema")!.Value.Should().Be("maml");
        var command = maml.Root.Element(Command + "command")!;
        var details = command.Element(Command + "details")!;
        details.Element(Command + "name")!.Value.Should().Be("Get-Widget");
        details.Element(Command + "verb")!.Value.Should().Be("Get");
        details.Element(Command + "noun")!.Value.Should().Be("Widget");
        details.Element(Maml + "description")!.Element(Maml + "para")!.Value.Should().Be("Gets widgets from the store.");
        command.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value).Should().HaveCount(3);

        var syntax = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        syntax.Should().HaveCount(2, "one syntax item per parameter set, default first");
        syntax[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).Should().Equal("Name", "All");
        syntax[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).Should().Equal("Id", "All");
        var reordered = MarkdownHelpReader.Read(Page.Replace("### -Name", "### -Zeta", StringComparison.Ordinal).Replace("Position: 0", "Position: 1", StringComparison.Ordinal));
        XDocument.Parse(MamlWriter.Write([reordered with { Parameters = [.. reordered.Parameters.Reverse()] }])).Descendants(Command + "syntaxItem").First()
            .Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).Should().Equal(["Zeta", "All"], "positional parameters come first in the syntax");
        syntax[0].Elements(Command + "parameter").Last().Element(Command + "parameterValue").Should().BeNull("a switch takes no value in the syntax");
        syntax[1].Element(Command + "parameter")!.Element(Command + "parameterValueGroup")!.Elements().Select(e => e.Value).Should().Equal("1", "7");

        var name = command.Element(Command + "parameters")!.Elements(Command + "parameter").First();
        name.Attribute("required")!.Value.Should().Be("true");
        name.Attribute("position")!.Value.Should().Be("0");
        name.Attribute("pipelineInput")!.Value.Should().Be("True (ByPropertyName)");
        name.Attribute("globbing")!.Value.Should().Be("true");
        name.Attribute("aliases")!.Value.Should().Be("WidgetName, N");
        name.Element(Maml + "description")!.Element(Maml + "para")!.Value.Should().Be("The widget's <name>.", "text is escaped, not dropped");
        name.Element(Command + "parameterValue")!.Value.Should().Be("String");
        name.Element(Dev + "type")!.Element(Maml + "name")!.Value.Should().Be("String");
        name.Element(Dev + "defaultValue")!.Value.Should().Be("None");
        command.Element(Command + "parameters")!.Elements(Command + "parameter").ElementAt(1).Attribute("position")!.Value.Should().Be("named");

        command.Element(Command + "inputTypes")!.Descendants(Maml + "name").Single().Value.Should().Be("System.String");
        command.Element(Command + "returnValues")!.Descendants(Maml + "name").Single().Value.Should().Be("Demo.Widget");
        command.Element(Maml + "alertSet")!.Descendants(Maml + "para").Single().Value.Should().Be("Widgets are cached.");
        var examples = command.Element(Command + "examples")!.Elements(Command + "example").ToList();
        examples.Should().HaveCount(2);
        examples[0].Element(Maml + "title")!.Value.Should().Contain("Example 1: By name");
        examples[0].Element(Dev + "code")!.Value.Should().Be("Get-Widget -Name 'a & b'");
        examples[0].Element(Dev + "remarks")!.Element(Maml + "para")!.Value.Should().Be("Gets the widget named a & b.");
        command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").Select(l => l.Element(Maml + "uri")!.Value)
            .Should().Equal(["", "https://example.org/widgets"], "Get-Help -Online takes the first address, which must be absolute http(s)");
    }

    [Theory]
    [InlineData("https://docs.example.org/Get-Widget", "https://docs.example.org/Get-Widget")]
    [InlineData("file:///opt/docs/Get-Widget.html", "")]
    [InlineData("Get-Widget.md", "")]
    public void The_online_version_is_the_first_link_only_when_it_is_a_web_address(string onlineVersion, string firstUri)
    {
        var page = Page.Replace("Module Name: Demo", "Module Name: Demo\nonline version: " + onlineVersion, StringComparison.Ordinal);

        var links = XDocument.Parse(MamlWriter.Write([MarkdownHelpReader.Read(page)]))
            .Descendants(Command + "relatedLinks").Single().Elements(Maml + "navigationLink").Select(l => l.Element(Maml + "uri")!.Value).ToList();

        links[0].Should().Be(firstUri);
        links.Should().HaveCount(firstUri == "" ? 2 : 3, "an online version that is no web address adds no link");
    }

    [Fact]
    public void Commands_are_written_in_name_order_with_a_UTF8_declaration()
    {
        var other = MarkdownHelpReader.Read(Page.Replace("Get-Widget", "Add-Widget", StringComparison.Ordinal));
        var text = MamlWriter.Write([MarkdownHelpReader.Read(Page), other]);
        text.Should().StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        XDocument.Parse(text).Descendants(Command + "details").Select(d => d.Element(Command + "name")!.Value).Should().Equal("Add-Widget", "Get-Widget");
    }

    [Theory]
    [InlineData("## SYNOPSIS\nx\n", "no '# Command-Name' title")]
    [InlineData("# Get-X\n## SYNOPSIS\nx\n## SYNTAX\n## DESCRIPTION\n## EXAMPLES\n", "no '## PARAMETERS' section")]
    [InlineData("# Get-X\n## SYNOPSIS\n## SYNTAX\n## DESCRIPTION\n## EXAMPLES\n### Example 1\ntext only\n## PARAMETERS\n", "example 'Example 1' has no code block")]
    [InlineData("# Get-X\n## SYNOPSIS\n## SYNTAX\n## DESCRIPTION\n## EXAMPLES\n## PARAMETERS\n### -A\nno yaml\n", "parameter -A has no ```yaml block")]
    [InlineData("# Get-X\n## SYNOPSIS\n```\nopen", "never closed")]
    [InlineData("# Get-X\n## SYNOPSIS\n## SYNOPSIS\n", "appears twice")]
    public void A_malformed_page_is_refused_with_file_line_and_problem(string markdown, string problem)
    {
        var read = () => MarkdownHelpReader.Read(markdown, "docs/cmdlets/Get-X.md");
        read.Should().Throw<HelpFormatException>()
            .Where(e => e.Message.StartsWith("docs/cmdlets/Get-X.md:", StringComparison.Ordinal) && e.Message.Contains(problem, StringComparison.Ordinal) && e.Line > 0);
    }

    [Fact]
    public void An_about_topic_becomes_indented_wrapped_text()
    {
        var text = AboutTopicWriter.Convert("""
            # about_Demo

            ## SHORT DESCRIPTION
            Demo in one line.

            ## LONG DESCRIPTION
            A long paragraph that goes on and on so that it has to be wrapped at eighty columns by the converter, word by word.

            ### Detail
            - one item

            ```powershell
            Get-Widget | Format-List
            ```
            """);

        var lines = text.Split('\n');
        lines[0].Should().Be("TOPIC");
        lines[1].Should().Be("    about_Demo");
        text.Should().Contain("SHORT DESCRIPTION\n    Demo in one line.\n");
        lines.Should().OnlyContain(l => l.Length <= AboutTopicWriter.Width);
        lines.Where(l => l.StartsWith("    A long", StringComparison.Ordinal)).Should().ContainSingle();
        text.Should().Contain("  Detail\n    - one item\n");
        text.Should().Contain("        Get-Widget | Format-List\n");
        text.Should().EndWith("\n").And.NotEndWith("\n\n");
    }

    [Fact]
    public void An_about_topic_must_be_named_about()
    {
        var convert = () => AboutTopicWriter.Convert("# Demo\ntext\n", "docs/x.md");
        convert.Should().Throw<HelpFormatException>().WithMessage("docs/x.md:1: *about_*");
    }

    [Fact]
    public void The_shipped_pages_convert_to_MAML_for_every_cmdlet()
    {
        var pages = Directory.GetFiles(RepositoryFiles.Path("docs", "cmdlets"), "*.md").Select(MarkdownHelpReader.ReadFile).ToList();
        var maml = XDocument.Parse(MamlWriter.Write(pages));
        maml.Descendants(Command + "details").Select(d => d.Element(Command + "name")!.Value)
            .Should().BeEquivalentTo(CmdletMetadata.All.Select(c => c.Name));
        maml.Descendants(Command + "example").Should().HaveCountGreaterThanOrEqualTo(2 * CmdletMetadata.All.Count);
    }
}
