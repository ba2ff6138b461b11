using EcgClip.Core.Abstractions;
using EcgClip.Core.Inference;
using EcgClip.Core.Models;
using EcgClip.Core.Training;

namespace EcgClip.Eval.Prediction;

/// <summary>
/// A model folder: the pretrained checkpoint's model files (configuration with the preprocessing, weights, vocabulary,
/// tokenizer and normaliser files — no optimiser or trainer state) plus <c>heads/</c> with the trained task heads and
/// their task and output names. It is what <c>ecgclip train-heads</c> writes and <c>predict</c> / <c>explain</c> /
/// <c>embed</c> read; written beside its final place and renamed, so it appears whole.
/// </summary>
public static class EcgClipModelFolder
{
    /// <summary>Sub-folder holding the task heads.</summary>
    public const string HeadsFolder = "heads";

    private static readonly HashSet<string> s_trainingOnly = new(StringComparer.Ordinal)
    {
        Trainer.OptimizerFileName, TrainerState.FileName, "manifest.json",
    };

    /// <summary>
    /// The checkpoint folder meant by <paramref name="path"/>: a checkpoint or model folder itself (it has
    /// <c>config.json</c>), or a pretraining run folder (its best checkpoint, else its latest complete one).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Nothing usable is there (the message says what was looked for).</exception>
    public static string ResolveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(Path.Combine(path, EcgClipModelFactory.ConfigFileName))) return path;
        string best = Path.Combine(path, "checkpoints", Trainer.BestName);
        if (File.Exists(Path.Combine(best, EcgClipModelFactory.ConfigFileName))) return best;
        if (Directory.Exists(path) && Trainer.LatestCheckpoint(path) is { } latest) return latest;
        throw new DirectoryNotFoundException($"{path}: not a checkpoint or model folder (no {EcgClipModelFactory.ConfigFileName}) and not a pretraining run folder (no checkpoints/{Trainer.BestName})");
    }

    /// <summary>Writes a model folder at <paramref name="modelDirectory"/> from a checkpoint and trained heads (replacing an earlier one).</summary>
    public static void Write(string checkpointDirectory, TaskHeadSet heads, string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(heads);
        string source = ResolveCheckpoint(checkpointDirectory);
        string target = Path.GetFullPath(modelDirectory);
        string parent = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        string temp = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            foreach (var file in Directory.EnumerateFiles(source))
            {
                string name = Path.GetFileName(file);
                if (!s_trainingOnly.Contains(name)) File.Copy(file, Path.Combine(temp, name));
            }
            heads.Save(Path.Combine(temp, HeadsFolder));
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(temp, target);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Loads a model folder: the model (strict weights), its heads (strict) and its input preparation.</summary>
    /// <exception cref="TaskHeadFormatException">The folder has no heads (train them with <c>ecgclip train-heads</c>) or they do not load.</exception>
    public static LoadedEcgClipModel Load(IEcgClipModelFactory factory, string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        string heads = Path.Combine(modelDirectory, HeadsFolder);
        if (!Directory.Exists(heads))
            throw new TaskHeadFormatException(heads, "the model folder has no task heads: write one with `ecgclip train-heads --checkpoint <dir> --task … --out <model dir>`");
        var bundle = factory.FromPretrained(ResolveCheckpoint(modelDirectory));
        try
        {
            var set = TaskHeadSet.Load(heads);
            return new LoadedEcgClipModel(bundle, set, InputFor(bundle.Config));
        }
        catch
        {
            bundle.Dispose();
            throw;
        }
    }

    /// <summary>The input preparation a model was trained with: its stored preprocessing, sample length and leads.</summary>
    public static EcgInputPreparer InputFor(ModelConfig config) => new(new EcgInputOptions
    {
        Preprocessing = config.Preprocessing,
        Samples = config.SampleLength,
        Leads = config.Ecg.Leads,
    });
}

/// <summary>A loaded model folder: model bundle, task heads and input preparation (disposes the bundle and the heads).</summary>
/// <param name="Bundle">The pretrained model with its tokenizer and preprocessing.</param>
/// <param name="Heads">The task heads.</param>
/// <param name="Preparer">Input preparation from the stored configuration.</param>
public sealed record LoadedEcgClipModel(EcgClipBundle Bundle, TaskHeadSet Heads, EcgInputPreparer Preparer) : IDisposable
{
    private readonly object _inferenceGate = new();
    private IEcgEncoder? _inference;

    /// <summary>
    /// The encoder's inference form (<see cref="Core.Inference.InferenceEncoder"/>: Conv+BN folded, in-place activations,
    /// inference_mode, channels-last on AVX-512 CPUs; equal to the encoder's eval output within 1e-5), built on first use
    /// and owned by this model.
    /// </summary>
    public IEcgEncoder InferenceEncoder
    {
        get
        {
            lock (_inferenceGate) return _inference ??= Core.Inference.InferenceEncoder.Create(Bundle.Model.EcgEncoder);
        }
    }

    /// <summary>A predictor over this model's inference form and heads (not owning them).</summary>
    public EcgClipPredictor CreatePredictor() => new(InferenceEncoder, Preparer, Heads);

    /// <summary>An explainer over this model (the trained encoder itself: saliency needs gradients through it).</summary>
    public EcgExplainer CreateExplainer(int steps = 64) => new(Bundle.Model.EcgEncoder, Preparer, Heads) { Steps = steps };

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_inferenceGate) _inference?.Dispose();
        Heads.Dispose();
        Bundle.Dispose();
    }
}
