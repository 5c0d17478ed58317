using System.Text;

namespace SnowPgMigration.HelpBuilder;

/// <summary>
/// Turns an about topic in markdown (<c># about_X</c>, <c>## SHORT DESCRIPTION</c>, ...) into the
/// plain text of <c>about_X.help.txt</c>: headings in capitals at the margin, text indented and
/// wrapped, code indented further and kept as written.
/// </summary>
public static class AboutTopicWriter
{
    public const int Width = 80;

    public static string Convert(string markdown, string file = "(markdown)")
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = 0;
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            start = Array.FindIndex(lines, 1, l => l.Trim() == "---") + 1;
            if (start == 0)
            {
                throw new HelpFormatException(file, 1, "the front matter that starts with '---' never ends.");
            }
        }

        var blocks = MarkdownBlocks.Parse(lines, start, file);
        var title = blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading && b.Level == 1);
        if (title is null || !title.Text.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
        {
            throw new HelpFormatException(file, start + 1, "an about topic starts with '# about_<Name>'.");
        }

        var text = new StringBuilder();
        text.Append("TOPIC\n    ").Append(title.Text).Append("\n\n");
        foreach (var block in blocks.Where(b => b != title))
        {
            switch (block.Kind)
            {
                case BlockKind.Heading when block.Level == 2:
                    text.Append(block.Text.ToUpperInvariant()).Append('\n');
                    break;
                case BlockKind.Heading:
                    text.Append("  ").Append(block.Text).Append('\n');
                    break;
                case BlockKind.Code:
                    foreach (var line in block.Text.Split('\n'))
                    {
                        text.Append(line.Length == 0 ? "" : "        " + line).Append('\n');
                    }

                    text.Append('\n');
                    break;
                default:
                    var listItem = block.Text.StartsWith("- ", StringComparison.Ordinal) || block.Text.StartsWith("* ", StringComparison.Ordinal);
                    Wrap(text, listItem ? "    - " : "    ", listItem ? "      " : "    ", listItem ? block.Text[2..] : block.Text);
                    text.Append('\n');
                    break;
            }
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static void Wrap(StringBuilder text, string firstIndent, string indent, string paragraph)
    {
        var line = new StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                text.Append(line).Append('\n');
                line.Clear().Append(indent);
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }

        text.Append(line).Append('\n');
    }
}
