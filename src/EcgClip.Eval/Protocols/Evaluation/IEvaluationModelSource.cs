namespace EcgClip.Eval.Protocols;

/// <summary>Which model to load for an evaluation.</summary>
/// <param name="Checkpoint">A checkpoint folder, or null / "none" for random initialisation of <paramref name="Backbone"/>.</param>
/// <param name="Backbone">Backbone name for random initialisation (e.g. "resnet18"); null = the configured default.
/// A checkpoint carries its own architecture.</param>
/// <param name="Seed">Seed of the random initialisation.</param>
public sealed record EvaluationModelRequest(string? Checkpoint, string? Backbone = null, long Seed = 0)
{
    /// <summary>Whether this asks for random initialisation (no checkpoint, or "none").</summary>
    public bool IsRandomInitialisation =>
        string.IsNullOrWhiteSpace(Checkpoint) || Checkpoint.Trim().Equals("none", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Loads the model an evaluation scores. The built-in <see cref="EvaluationModelSource"/> creates a seeded random
/// initialisation for "none" and hands a checkpoint folder to the registered <see cref="ICheckpointModelLoader"/>.
/// </summary>
public interface IEvaluationModelSource
{
    /// <summary>Loads the model; the caller disposes it.</summary>
    /// <exception cref="CheckpointLoadingUnavailableException">A checkpoint folder was given but no loader is registered.</exception>
    /// <exception cref="DirectoryNotFoundException">The checkpoint folder does not exist.</exception>
    EvaluationModel Load(EvaluationModelRequest request);
}

/// <summary>
/// Loads a pretrained checkpoint folder (weights + config.json with the preprocessing) as an <see cref="EvaluationModel"/>.
/// The pretraining package implements it over its <c>FromPretrained(dir)</c> and registers it in DI; until then
/// <see cref="EvaluationModelSource"/> refuses checkpoint folders with <see cref="CheckpointLoadingUnavailableException"/>.
/// </summary>
public interface ICheckpointModelLoader
{
    /// <summary>Loads the checkpoint in <paramref name="directory"/> (an existing folder); the caller disposes the model.</summary>
    EvaluationModel Load(string directory);
}

/// <summary>A checkpoint folder was given, but this build has no <see cref="ICheckpointModelLoader"/> (exit 2 in the CLI).</summary>
public sealed class CheckpointLoadingUnavailableException(string directory)
    : NotSupportedException($"{directory}: checkpoint loading arrives with the trainer (no checkpoint loader is registered in this build); use --checkpoint none for random initialisation")
{
    /// <summary>The folder that was asked for.</summary>
    public string Directory { get; } = directory;
}
