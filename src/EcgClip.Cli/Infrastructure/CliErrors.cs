namespace EcgClip.Cli.Infrastructure;

/// <summary>Exit codes shared by all commands.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad input: a file that cannot be read, invalid arguments, data that fails validation.</summary>
    public const int BadInput = 2;
    /// <summary>The environment is not healthy (e.g. doctor found a problem).</summary>
    public const int Unhealthy = 3;
    /// <summary>An unexpected internal error.</summary>
    public const int Internal = 70;
}

/// <summary>
/// Runs a command body and turns expected failures into a clear message on stderr (or a JSON error line with
/// --json) and an exit code, instead of a stack trace.
/// </summary>
internal static class CommandRunner
{
    public static int Run(bool json, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            Report(json, "bad_input", ex.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception ex)
        {
            Report(json, "internal", ex.ToString());
            return ExitCodes.Internal;
        }
    }

    private static bool IsBadInput(Exception ex) =>
        ex is ArgumentException or FormatException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
           or EcgClip.Signal.Records.EcgFormatException or UnauthorizedAccessException or NotSupportedException
           // typed bad-input errors of checkpoints, heads and configs (all name the file and the reason)
           or EcgClip.Core.Training.Checkpoints.CheckpointFormatException or EcgClip.Core.Encoders.StateDictMismatchException
           or EcgClip.Eval.Prediction.TaskHeadFormatException or EcgClip.Core.Models.ModelConfigException or EcgClip.Eval.Prediction.EcgInputException or KeyNotFoundException;

    private static void Report(bool json, string kind, string message)
    {
        if (json) CliJson.WriteLine(new { error = kind, message });
        Console.Error.WriteLine($"error: {message}");
    }
}
