using EcgClip.Core.Abstractions;
using EcgClip.Signal.Formats;
using EcgClip.Signal.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Prediction;

/// <summary>
/// From an ECG file to named per-task outputs: reads the file (any format <see cref="EcgReader"/> knows), prepares it
/// exactly as the model was trained (<see cref="EcgInputPreparer"/>), embeds every window with the frozen encoder in
/// evaluation mode, applies each task head and averages the windows' probabilities. Windows of several records share
/// batches. Thread-safe: the forward pass is serialised (the encoder's kernels already use all libtorch threads).
/// </summary>
public sealed class EcgClipPredictor : IDisposable
{
    private readonly IEcgEncoder _encoder;
    private readonly TaskHeadSet _heads;
    private readonly Device _device;
    private readonly ILogger _logger;
    private readonly Lock _forward = new();
    private readonly bool _ownsModel;

    /// <summary>Creates a predictor over an encoder and its heads (both on <paramref name="device"/>, CPU by default).</summary>
    /// <param name="encoder">The ECG encoder (switched to evaluation mode).</param>
    /// <param name="preparer">The model's input preparation (its stored preprocessing and window length).</param>
    /// <param name="heads">The task heads; their input width must equal the encoder's output width.</param>
    /// <param name="device">Device of encoder and heads.</param>
    /// <param name="ownsModel">Dispose encoder and heads with the predictor.</param>
    /// <param name="logger">Optional logger.</param>
    public EcgClipPredictor(IEcgEncoder encoder, EcgInputPreparer preparer, TaskHeadSet heads, Device? device = null, bool ownsModel = false, ILogger<EcgClipPredictor>? logger = null)
    {
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        Preparer = preparer ?? throw new ArgumentNullException(nameof(preparer));
        _heads = heads ?? throw new ArgumentNullException(nameof(heads));
        if (heads.Count == 0) throw new ArgumentException("the model has no task heads", nameof(heads));
        foreach (var spec in heads.Specs)
            if (spec.InputDim != encoder.OutputDim)
                throw new ArgumentException($"task '{spec.Task}' reads {spec.InputDim}-wide embeddings but the encoder gives {encoder.OutputDim}", nameof(heads));
        _device = device ?? CPU;
        _ownsModel = ownsModel;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _encoder.Module.eval();
        for (int i = 0; i < heads.Count; i++) heads[i].Head.Module.eval();
    }

    /// <summary>The input preparation applied to every record.</summary>
    public EcgInputPreparer Preparer { get; }

    /// <summary>The task heads, in output order.</summary>
    public IReadOnlyList<TaskHeadSpec> Tasks => _heads.Specs;

    /// <summary>
    /// Windows per forward batch (default 64). Results do not depend on it (inference mode, no batch statistics);
    /// throughput does: ResNet-18 at 12 × 1000 on 2 Zen 4 cores runs 263 ECG/s at batch 32 and 275 at batch 64
    /// (`ecgclip bench infer`, medians of 3 interleaved rounds, 8 Dec 2026).
    /// </summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "must be ≥ 1");
    }

    private readonly int _batchSize = 64;

    /// <summary>Files read and prepared in parallel by <see cref="PredictFiles"/> (default: one per processor).</summary>
    public int ReadParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Reads and scores files; a file that cannot be read or used gets an error and the others are still scored.</summary>
    public IReadOnlyList<EcgPredictionResult> PredictFiles(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var paths = files.ToList();
        var results = new EcgPredictionResult[paths.Count];
        var prepared = new PreparedEcg?[paths.Count];
        // reading, resampling and preprocessing are independent per file: spread them over the processors, then batch
        // every window through the encoder (whose kernels use libtorch's threads)
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, ReadParallelism) }, i =>
        {
            string file = paths[i];
            try
            {
                prepared[i] = Preparer.Prepare(EcgReader.Read(file));
                results[i] = new EcgPredictionResult(file, null, null);
            }
            catch (Exception e) when (e is EcgInputException or EcgFormatException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidDataException)
            {
                string reason = e switch { EcgInputException x => x.Reason, EcgFormatException f => f.Reason, _ => e.Message };
                _logger.LogWarning("skipping {File}: {Reason}", file, reason);
                results[i] = new EcgPredictionResult(file, null, reason);
            }
        });
        var good = Enumerable.Range(0, paths.Count).Where(i => prepared[i] is not null).ToArray();
        var predictions = Predict(good.Select(i => prepared[i]!).ToList());
        for (int k = 0; k < good.Length; k++) results[good[k]] = new EcgPredictionResult(prepared[good[k]]!.Source, predictions[k], null);
        return results;
    }

    /// <summary>Scores one record (already read).</summary>
    public EcgPrediction Predict(EcgRecord record) => Predict([Preparer.Prepare(record)])[0];

    /// <summary>Scores prepared ECGs, batching their windows together.</summary>
    public IReadOnlyList<EcgPrediction> Predict(IReadOnlyList<PreparedEcg> ecgs)
    {
        ArgumentNullException.ThrowIfNull(ecgs);
        if (ecgs.Count == 0) return [];
        int leads = ecgs[0].Leads, samples = ecgs[0].Samples;
        int totalWindows = ecgs.Sum(e => e.Windows);
        int outputs = _heads.Specs.Sum(s => s.Outputs.Count);
        var scores = new double[totalWindows * outputs];
        var window = new float[BatchSize * leads * samples];
        int done = 0;
        var flat = ecgs.SelectMany(e => Enumerable.Range(0, e.Windows).Select(w => (e, w))).ToList();
        while (done < totalWindows)
        {
            int batch = Math.Min(BatchSize, totalWindows - done);
            for (int b = 0; b < batch; b++)
            {
                var (e, w) = flat[done + b];
                e.Data.AsSpan(w * leads * samples, leads * samples).CopyTo(window.AsSpan(b * leads * samples));
            }
            ScoreBatch(window, batch, leads, samples, scores.AsSpan(done * outputs, batch * outputs), outputs);
            done += batch;
        }
        var results = new List<EcgPrediction>(ecgs.Count);
        int row = 0;
        foreach (var e in ecgs)
        {
            var tasks = new List<TaskPrediction>(_heads.Count);
            int column = 0;
            foreach (var spec in _heads.Specs)
            {
                var named = new List<KeyValuePair<string, double>>(spec.Outputs.Count);
                for (int o = 0; o < spec.Outputs.Count; o++, column++)
                {
                    double sum = 0;
                    for (int w = 0; w < e.Windows; w++) sum += scores[(row + w) * outputs + column];
                    named.Add(new(spec.Outputs[o], sum / e.Windows));
                }
                tasks.Add(new TaskPrediction(spec.Task, spec.Kind, named));
            }
            results.Add(new EcgPrediction(e.Source, tasks, e.Windows, e.Steps));
            row += e.Windows;
        }
        return results;
    }

    private void ScoreBatch(float[] window, int batch, int leads, int samples, Span<double> scores, int outputs)
    {
        lock (_forward)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(window.AsSpan(0, batch * leads * samples).ToArray(), [batch, leads, samples]).to(_device);
            var embedding = _encoder.Encode(x);
            var parts = new List<Tensor>(_heads.Count);
            for (int i = 0; i < _heads.Count; i++) parts.Add(_heads[i].Head.Predict(embedding));
            using var all = cat(parts, 1).to(float64).cpu().contiguous();
            var values = all.data<double>();
            for (int i = 0; i < batch * outputs; i++) scores[i] = values[i];
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_ownsModel) return;
        _encoder.Dispose();
        _heads.Dispose();
    }
}
