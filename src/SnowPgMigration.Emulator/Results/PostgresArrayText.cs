using System.Text;

namespace SnowPgMigration.Emulator.Results;

/// <summary>
/// Converts PostgreSQL's array text (<c>{1,2,NULL}</c>, <c>{"a b",c}</c>, <c>{{1,2},{3,4}}</c>) into the
/// pretty-printed JSON Snowflake sends for ARRAY values, where an SQL NULL element is written
/// <c>undefined</c> (not valid JSON, exactly as the live service does).
/// </summary>
internal static class PostgresArrayText
{
    public static string ToSnowflakeJson(string pgText, ValueKind elementKind)
    {
        var position = 0;
        // A lower-bound prefix such as "[0:1]={1,2}" carries no values.
        if (pgText.StartsWith('['))
        {
            position = pgText.IndexOf('=', StringComparison.Ordinal) + 1;
        }

        var output = new StringBuilder(pgText.Length * 2);
        WriteArray(pgText, ref position, elementKind, output, 0);
        return output.ToString();
    }

    private static void WriteArray(string text, ref int position, ValueKind elementKind, StringBuilder output, int depth)
    {
        position++; // '{'
        if (text[position] == '}')
        {
            position++;
            output.Append("[]");
            return;
        }

        output.Append("[\n");
        var first = true;
        while (true)
        {
            if (!first)
            {
                output.Append(",\n");
            }

            first = false;
            output.Append(' ', (depth + 1) * 2);
            if (text[position] == '{')
            {
                WriteArray(text, ref position, elementKind, output, depth + 1);
            }
            else
            {
                WriteElement(ReadElement(text, ref position, out var quoted), quoted, elementKind, output);
            }

            var separator = text[position++];
            if (separator == '}')
            {
                break;
            }
        }

        output.Append('\n').Append(' ', depth * 2).Append(']');
    }

    private static string ReadElement(string text, ref int position, out bool quoted)
    {
        quoted = text[position] == '"';
        var value = new StringBuilder();
        if (quoted)
        {
            position++;
            while (text[position] != '"')
            {
                if (text[position] == '\\')
                {
                    position++;
                }

                value.Append(text[position++]);
            }

            position++;
            return value.ToString();
        }

        while (text[position] != ',' && text[position] != '}')
        {
            value.Append(text[position++]);
        }

        return value.ToString();
    }

    private static void WriteElement(string value, bool quoted, ValueKind elementKind, StringBuilder output)
    {
        if (!quoted && value == "NULL")
        {
            output.Append("undefined");
            return;
        }

        switch (elementKind)
        {
            case ValueKind.Fixed:
                output.Append(value);
                break;
            case ValueKind.Boolean:
                output.Append(value is "t" or "true" ? "true" : "false");
                break;
            case ValueKind.Variant:
                output.Append(value);
                break;
            default:
                ValueEncoder.AppendJsonString(output, value);
                break;
        }
    }
}
