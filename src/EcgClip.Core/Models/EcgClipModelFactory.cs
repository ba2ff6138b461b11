using EcgClip.Core.Encoders;
using EcgClip.Core.Objectives;
using EcgClip.Core.Training.Checkpoints;
using EcgClip.Signal.Dsp.Preprocessing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace EcgClip.Core.Models;

/// <summary>
/// Default <see cref="IEcgClipModelFactory"/>: ECG tower from the <see cref="ModelCatalog"/> configuration, text tower from
/// the registered <see cref="ITextTowerBuilder"/>, objective from the <see cref="ObjectiveRegistry"/> (the keyed factories).
/// </summary>
public sealed class EcgClipModelFactory : IEcgClipModelFactory
{
    /// <summary>File name of the model configuration in a checkpoint.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>File name of the model weights in a checkpoint.</summary>
    public const string WeightsFileName = "model.safetensors";

    private readonly ModelCatalog _catalog;
    private readonly ITextTowerBuilder _text;
    private readonly ObjectiveRegistry _objectives;
    private readonly ILogger _logger;

    /// <summary>Creates the factory over its collaborators.</summary>
    public EcgClipModelFactory(ModelCatalog catalog, ITextTowerBuilder textTowerBuilder, ObjectiveRegistry objectives, ILogger<EcgClipModelFactory>? logger = null)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _text = textTowerBuilder ?? throw new ArgumentNullException(nameof(textTowerBuilder));
        _objectives = objectives ?? throw new ArgumentNullException(nameof(objectives));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public EcgClipBundle Create(string backbone, string objective, double samplingRate, IReadOnlyList<string> trainingReports, long seed = 0) =>
        Create(ModelConfig.CreateDefault(_catalog.Get(backbone), objective, samplingRate), trainingReports, seed);

    /// <inheritdoc />
    public EcgClipBundle Create(ModelConfig config, IReadOnlyList<string> trainingReports, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(trainingReports);
        config.ThrowIfInvalid(config.Name);
        torch.random.manual_seed(seed);
        var text = _text.Create(config.Text, config.EmbeddingDim, trainingReports);
        var bundle = Assemble(config, text);
        _logger.LogInformation("built {Model}: {Parameters:N0} parameters (seed {Seed})", config.Name, bundle.Model.parameters().Sum(p => p.numel()), seed);
        return bundle;
    }

    /// <inheritdoc />
    public EcgClipBundle FromPretrained(string checkpointDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        if (!Directory.Exists(checkpointDirectory)) throw new DirectoryNotFoundException($"checkpoint folder not found: {checkpointDirectory}");
        var config = ModelConfig.Load(Path.Combine(checkpointDirectory, ConfigFileName));
        string weights = Path.Combine(checkpointDirectory, WeightsFileName);
        if (!File.Exists(weights)) throw new InvalidDataException($"{weights}: model weights missing from the checkpoint");
        var text = _text.Load(config.Text, config.EmbeddingDim, checkpointDirectory);
        var bundle = Assemble(config, text);
        try
        {
            ModuleState.Load(bundle.Model, weights);
        }
        catch (CheckpointFormatException ex)
        {
            bundle.Dispose();
            throw new InvalidDataException(ex.Message, ex);
        }
        catch
        {
            bundle.Dispose();
            throw;
        }
        bundle.Model.eval();
        return bundle;
    }

    /// <summary>Writes the serving files of <paramref name="bundle"/> (config, weights, vocabulary, tokenizer) into <paramref name="directory"/>.</summary>
    public static void SaveModelFiles(EcgClipBundle bundle, string directory)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ConfigFileName), bundle.Config.ToJson());
        ModuleState.Save(bundle.Model, Path.Combine(directory, WeightsFileName));
        bundle.Batcher.SaveTo(directory);
    }

    private EcgClipBundle Assemble(ModelConfig config, TextTower text)
    {
        ResNetEcgEncoder? ecg = null;
        try
        {
            ecg = new ResNetEcgEncoder(config.Ecg);
            var objective = _objectives.Create(config.Objective);
            var model = new EcgClipModel(config, ecg, text.Encoder, objective);
            return new EcgClipBundle(model, text.Batcher, new PreprocessingPipeline(config.Preprocessing));
        }
        catch (ArgumentException ex)
        {
            ecg?.Dispose();
            text.Encoder.Dispose();
            throw new ModelConfigException(config.Name, [ex.Message], ex);
        }
        catch (ModelConfigException)
        {
            ecg?.Dispose();
            text.Encoder.Dispose();
            throw;
        }
    }
}
