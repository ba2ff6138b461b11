namespace EcgClip.Core.Models;

/// <summary>
/// The single entry point that builds whole ECGCLIP models (as OpenCLIP's <c>create_model_and_transforms</c>): from a
/// configuration (fresh weights, vocabulary trained on the training reports) or from a checkpoint folder.
/// </summary>
public interface IEcgClipModelFactory
{
    /// <summary>
    /// Builds a fresh model from <paramref name="config"/> with weights seeded by <paramref name="seed"/>; the text
    /// vocabulary is trained on <paramref name="trainingReports"/> (the training split only).
    /// </summary>
    /// <exception cref="ModelConfigException">The configuration is invalid (fields named).</exception>
    EcgClipBundle Create(ModelConfig config, IReadOnlyList<string> trainingReports, long seed = 0);

    /// <summary>Builds the default configuration of a catalog backbone and objective (see <see cref="ModelConfig.CreateDefault"/>), then <see cref="Create(ModelConfig, IReadOnlyList{string}, long)"/>.</summary>
    EcgClipBundle Create(string backbone, string objective, double samplingRate, IReadOnlyList<string> trainingReports, long seed = 0);

    /// <summary>
    /// Rebuilds a model with its tokenizer and preprocessing from a checkpoint folder alone (<c>config.json</c>,
    /// <c>model.safetensors</c>, the vocabulary and tokenizer files), loading the weights strictly.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is missing, malformed or does not match the model (named).</exception>
    /// <exception cref="ModelConfigException">config.json is malformed or invalid (file and field named).</exception>
    EcgClipBundle FromPretrained(string checkpointDirectory);
}
