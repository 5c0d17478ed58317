using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace SnowPgMigration.Tests.Hosted.Infrastructure;

/// <summary>
/// A host whose user answers every choice PowerShell offers (ShouldContinue, -Confirm) from a list of
/// labels, in order ("Yes", "Yes to All", "No", "No to All"), and keeps each question it was asked.
/// </summary>
public sealed class AnsweringHost(params string[] answers) : PSHost
{
    private readonly AnsweringUserInterface _ui = new(answers);

    /// <summary>The questions asked so far: caption and message.</summary>
    public IReadOnlyList<(string Caption, string Message)> Questions => _ui.Questions;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "AnsweringHost";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class AnsweringUserInterface(string[] answers) : PSHostUserInterface
    {
        private readonly Queue<string> _answers = new(answers);

        public List<(string Caption, string Message)> Questions { get; } = [];

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Questions.Add((caption, message));
            if (!_answers.TryDequeue(out var answer))
            {
                throw new InvalidOperationException($"No answer left for: {caption} {message}");
            }

            for (var i = 0; i < choices.Count; i++)
            {
                if (string.Equals(choices[i].Label.Replace("&", "", StringComparison.Ordinal), answer, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"No choice '{answer}' among {string.Join(", ", choices.Select(c => c.Label))}.");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("Only choices are answered.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("Only choices are answered.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("Only choices are answered.");

        public override string ReadLine() => throw new NotSupportedException("Only choices are answered.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("Only choices are answered.");

        public override void Write(string value)
        {
        }

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
        {
        }

        public override void WriteLine(string value)
        {
        }

        public override void WriteErrorLine(string value)
        {
        }

        public override void WriteDebugLine(string message)
        {
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message)
        {
        }

        public override void WriteWarningLine(string message)
        {
        }
    }
}
