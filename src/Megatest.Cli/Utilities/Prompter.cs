namespace Megatest.Cli.Utilities;

/// <summary>
/// Asks questions on the terminal for the interactive generators. An option given on the command line answers
/// its question without asking; at end of input every remaining question takes its default.
/// </summary>
internal sealed class Prompter
{
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private bool _endOfInput;

    /// <summary>Creates a prompter reading answers from <paramref name="input"/> and writing questions to <paramref name="output"/>.</summary>
    public Prompter(TextReader input, TextWriter output)
    {
        _input = input;
        _output = output;
    }

    /// <summary>True once the input has ended; every later question takes its default.</summary>
    public bool EndOfInput => _endOfInput;

    /// <summary>The option's value when given, else the trimmed answer, else <paramref name="defaultValue"/>.</summary>
    public string Ask(string? given, string question, string defaultValue = "")
    {
        if (given is not null)
        {
            return given.Trim();
        }

        var answer = Read(defaultValue.Length > 0 ? $"{question} [{defaultValue}]: " : $"{question}: ");
        return string.IsNullOrWhiteSpace(answer) ? defaultValue : answer.Trim();
    }

    /// <summary>Asks a question and returns the trimmed answer; null at end of input or for an empty answer.</summary>
    public string? AskOptional(string question)
    {
        var answer = Read(question + ": ");
        return string.IsNullOrWhiteSpace(answer) ? null : answer.Trim();
    }

    private string? Read(string prompt)
    {
        if (_endOfInput)
        {
            return null;
        }

        _output.Write(prompt);
        _output.Flush();
        var line = _input.ReadLine();
        if (line is null)
        {
            _endOfInput = true;
            _output.WriteLine();
        }

        return line;
    }
}
