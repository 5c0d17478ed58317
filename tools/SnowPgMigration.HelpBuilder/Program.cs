using System.Text;
using SnowPgMigration.HelpBuilder;

// SnowPgMigration.HelpBuilder <cmdlet-docs-folder> <about-docs-folder> <output-folder> <assembly-file-name>
// Writes <output-folder>/<assembly-file-name>-Help.xml from every *.md in the cmdlet folder, and
// <output-folder>/about_*.help.txt from every about_*.md in the about folder.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: SnowPgMigration.HelpBuilder <cmdlet-docs-folder> <about-docs-folder> <output-folder> <assembly-file-name>");
    return 2;
}

var (cmdletFolder, aboutFolder, output, assembly) = (args[0], args[1], args[2], args[3]);
try
{
    var pages = Directory.GetFiles(cmdletFolder, "*.md").Order(StringComparer.Ordinal).Select(MarkdownHelpReader.ReadFile).ToList();
    if (pages.Count == 0)
    {
        Console.Error.WriteLine($"No cmdlet pages (*.md) in {cmdletFolder}.");
        return 1;
    }

    Directory.CreateDirectory(output);
    var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    File.WriteAllText(Path.Combine(output, assembly + "-Help.xml"), MamlWriter.Write(pages), utf8);
    var abouts = Directory.GetFiles(aboutFolder, "about_*.md");
    foreach (var about in abouts)
    {
        var name = Path.GetFileNameWithoutExtension(about);
        File.WriteAllText(Path.Combine(output, name + ".help.txt"), AboutTopicWriter.Convert(File.ReadAllText(about), about), utf8);
    }

    Console.WriteLine($"Help for {pages.Count} cmdlet(s) and {abouts.Length} about topic(s) written to {output}.");
    return 0;
}
catch (HelpFormatException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
catch (IOException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
