using System.Diagnostics;
using EcgClip.Core.Abstractions;
using EcgClip.Core.Encoders;
using EcgClip.Core.Models;
using EcgClip.Core.Performance;
using EcgClip.Core.Precision;
using EcgClip.Core.Training.Checkpoints;
using EcgClip.Core.Training.Optimization;
using EcgClip.Signal.Dsp.Augmentation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Training;

/// <summary>
/// The ECGCLIP pretraining loop: AdamW (decay groups, <see cref="AdamWParameterGroups"/>), warm-up + cosine schedule applied once
/// per optimisation step, gradient accumulation, gradient-norm clipping, bf16 mixed precision for the ECG tower (float32
/// master weights and optimiser state), per-step metrics to <c>metrics.jsonl</c>, validation at each epoch's end (best
/// checkpoint chosen on the validation split only), the test split evaluated once at the end with the selected weights,
/// atomic checkpoints and bit-exact resume. Cancellation writes a checkpoint and returns (<see cref="TrainingSummary.Interrupted"/>).
/// </summary>
/// <remarks>
/// Determinism: the data order and augmentation are seeded by (seed, epoch, batch) (<see cref="PairedBatchLoader"/>), and
/// libtorch's generator is reseeded from (seed, step, micro-batch) before every forward pass, so dropout does not depend on
/// what ran before; a resumed run therefore reproduces an uninterrupted one's weights (bit-exact on the same machine
/// and thread count, with <see cref="TrainerOptions.Deterministic"/>, which also uses a single loader worker).
/// </remarks>
public sealed class Trainer
{
    private readonly IValidationEvaluator? _evaluator;
    private readonly ILogger _logger;
    private readonly ILoggerFactory? _loggers;
    private readonly DistributedTraining _dist;

    /// <summary>
    /// Creates a trainer; without an evaluator no validation or test metrics are computed (the last checkpoint is the selected one).
    /// With <paramref name="distributed"/> over more than one rank it trains data-parallel (<see cref="DistributedTraining"/>):
    /// every rank must call <see cref="Run"/> with the same arguments; rank 0 alone writes the run folder.
    /// </summary>
    public Trainer(IValidationEvaluator? evaluator = null, ILoggerFactory? loggerFactory = null, DistributedTraining? distributed = null)
    {
        _evaluator = evaluator;
        _dist = distributed ?? DistributedTraining.SingleProcess();
        _loggers = loggerFactory;
        _logger = (ILogger?)loggerFactory?.CreateLogger<Trainer>() ?? NullLogger.Instance;
    }

    /// <summary>The latest complete checkpoint of <paramref name="runDirectory"/> after removing a killed run's half-written ones, or null.</summary>
    public static string? LatestCheckpoint(string runDirectory)
    {
        var store = new CheckpointStore(runDirectory);
        store.RemoveLeftovers();
        return store.Latest();
    }

    /// <summary>Trains <paramref name="bundle"/>'s model on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options, or a training split too small for one batch.</exception>
    public TrainingSummary Run(EcgClipBundle bundle, TrainingData data, TrainerOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var wall = Stopwatch.StartNew();
        var model = bundle.Model;
        var config = bundle.Config;
        string run = options.OutputDirectory;
        Directory.CreateDirectory(run);
        var checkpoints = new CheckpointStore(run, _loggers?.CreateLogger<CheckpointStore>());
        var dist = _dist;
        int leftovers = dist.RemoveLeftovers(checkpoints);
        var loaderToken = dist.Active ? CancellationToken.None : cancellationToken; // ranks stop together, decided once per step
        if (leftovers > 0) _logger.LogInformation("removed {Count} half-written checkpoint folder(s) of an earlier run", leftovers);

        var skipped = new SkippedRecordLog();
        int workers = options.Deterministic ? 1 : options.Workers;
        var loaderLogger = _loggers?.CreateLogger<PairedBatchLoader>();
        var augmenter = config.Augmentation is null ? null : new EcgAugmenter(config.Augmentation);
        PairedBatchLoader TrainLoader(int epoch) => new(data.Dataset, dist.Shard(data.Train, options.Seed, epoch), bundle.Preprocessing, augmenter, bundle.Batcher.Normalize,
            new PairedLoaderOptions { BatchSize = options.BatchSize, SampleLength = config.SampleLength, Seed = options.Seed, Workers = workers, Prefetch = options.Prefetch }, skipped, loaderLogger);
        var trainLoader = TrainLoader(0);
        int trainShare = dist.Shard(data.Train, options.Seed, 0).Count;
        PairedBatchLoader EvalLoader(IReadOnlyList<Signal.Datasets.EcgTextItem> items) => new(data.Dataset, items, bundle.Preprocessing, null, bundle.Batcher.Normalize,
            new PairedLoaderOptions { BatchSize = options.BatchSize, SampleLength = config.SampleLength, Shuffle = false, Workers = workers, Prefetch = options.Prefetch }, skipped, loaderLogger);
        var valLoader = data.Validation.Count > 1 && _evaluator is not null ? EvalLoader(data.Validation) : null;
        var testLoader = data.Test.Count > 1 && _evaluator is not null ? EvalLoader(data.Test) : null;
        int batchesPerEpoch = trainLoader.BatchesPerEpoch;
        if (batchesPerEpoch < options.GradientAccumulation)
            throw new ArgumentException($"the training split has {trainShare} items{(dist.Active ? $" per rank ({dist.WorldSize} ranks)" : "")}: fewer than one optimisation step of {options.GradientAccumulation} × {options.BatchSize}");
        int stepsPerEpoch = batchesPerEpoch / options.GradientAccumulation;
        int total = options.Steps ?? options.Epochs * stepsPerEpoch;
        var schedule = new WarmupCosineSchedule(options.LearningRate, (int)Math.Round(options.WarmupFraction * total), total, options.MinLearningRateRatio);

        using var groups = AdamWParameterGroups.Create(model, options.LearningRate, options.WeightDecay);
        var optimizer = groups.Optimizer;
        _logger.LogInformation("{Groups}", groups.Describe());
        var state = new TrainerState { TotalSteps = total, Seed = options.Seed };
        int? resumedFrom = null;
        if (options.Resume && checkpoints.Latest() is { } latest)
        {
            state = TrainerState.Load(latest);
            if (state.TotalSteps != total) _logger.LogWarning("resuming a run planned for {Old} steps with {New} steps", state.TotalSteps, total);
            state = state with { TotalSteps = total };
            ModuleState.Load(model, Path.Combine(latest, EcgClipModelFactory.WeightsFileName));
            OptimizerState.Load(optimizer, Path.Combine(latest, OptimizerFileName));
            resumedFrom = state.Step;
            _logger.LogInformation("resumed from {Checkpoint} at step {Step}", latest, state.Step);
        }
        var sync = dist.Start(model); // every rank now holds rank 0's weights (null with one rank)

        ResNetEcgEncoder? computeEcg = null;
        MixedPrecisionShadow? shadow = null;
        if (options.Precision == ComputePrecision.BFloat16)
        {
            computeEcg = new ResNetEcgEncoder(config.Ecg) { Layout = model.EcgEncoder.Layout };
            shadow = new MixedPrecisionShadow(model.EcgEncoder, computeEcg);
        }
        using var metrics = dist.IsPrimary ? new MetricsJsonlWriter(run) : null;
        var recentLosses = new Queue<double>();
        double modelSeconds = 0;
        long ecgsSeen = 0;
        int stepsThisRun = 0;
        string? lastCheckpoint = null, bestCheckpoint = state.BestStep >= 0 && Directory.Exists(Path.Combine(checkpoints.Root, BestName)) ? Path.Combine(checkpoints.Root, BestName) : null;
        var bestMetrics = state.BestMetrics is { } saved ? new Dictionary<string, double>(saved) : new Dictionary<string, double>();
        bool interrupted = false;

        string WriteCheckpoint(string name, TrainerState s)
        {
            dist.AverageBuffers(model);
            return dist.WriteCheckpoint(checkpoints, name, () => checkpoints.Write(name, dir =>
            {
                using var scope = NewDisposeScope(); // the state-dict copies of the writers die here, not at a later GC
                EcgClipModelFactory.SaveModelFiles(bundle, dir);
                OptimizerState.Save(optimizer, Path.Combine(dir, OptimizerFileName));
                s.Save(dir);
            }, s.Step));
        }
        void Prune()
        {
            if (dist.IsPrimary) checkpoints.Prune(options.KeepCheckpoints, bestCheckpoint is null ? [] : [bestCheckpoint]);
        }

        void Validate(int epoch)
        {
            if (valLoader is null) return;
            dist.AverageBuffers(model); // every rank evaluates the full split with the same weights: same metric, same "best" decision
            var result = Evaluate(model, bundle.Batcher, valLoader, data.Dataset.LabelSpace.Names, loaderToken);
            metrics?.WriteValidation(state.Step, epoch, "val", result);
            double value = result.GetValueOrDefault(_evaluator!.SelectionMetric, double.NaN);
            _logger.LogInformation("validation at step {Step}: {Metric} = {Value:F4}", state.Step, _evaluator.SelectionMetric, value);
            if (double.IsFinite(value) && (double.IsNaN(state.BestMetric) || value > state.BestMetric))
            {
                bestMetrics = new Dictionary<string, double>(result);
                state = state with { BestMetric = value, BestStep = state.Step, BestMetrics = bestMetrics };
                bestCheckpoint = WriteCheckpoint(BestName, state);
            }
            // Once per validation, never per step: the managed heap otherwise creeps up by the objects each step
            // promotes (≈35 KB/step, measured) until .NET's next gen-2 collection, hundreds of steps later, and the
            // validation pass leaves its own garbage; a full collection here keeps the resident size flat (tens of ms
            // every epoch against a ~30 s epoch).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        model.train();
        computeEcg?.train();
        // Opening the data, building the model and training the vocabulary leave dead objects behind (the embedded pack
        // is decompressed whole: ~100 MB); release them once now, so a later gen-2 collection does not drop the resident
        // size mid-run (flat-memory check from step 100 on). Never per step.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        int micro = 0;
        double accumulatedLoss = 0;
        var stepTimer = new Stopwatch();
        while (state.Step < total && !interrupted)
        {
            if (dist.Active && state.Epoch > 0) trainLoader = TrainLoader(state.Epoch); // a fresh cross-rank split each epoch
            foreach (var batch in trainLoader.Batches(state.Epoch, state.NextBatch, loaderToken))
            {
                using var owned = batch; // its signal buffers go back to the loader's pool after the step
                if (batch.Count < 2) { state = state with { NextBatch = batch.Index + 1 }; continue; }
                stepTimer.Start();
                using (var scope = NewDisposeScope())
                {
                    torch.random.manual_seed(unchecked(options.Seed * 1_000_003 + state.Step * 131 + micro + dist.DropoutSeedOffset));
                    var result = Forward(model, computeEcg, bundle.Batcher, batch, options.Precision, dist);
                    (result.Loss / options.GradientAccumulation).backward();
                    accumulatedLoss += result.Loss.item<float>() / options.GradientAccumulation;
                    micro++;
                    ecgsSeen += batch.Count * dist.WorldSize;
                    if (micro == options.GradientAccumulation)
                    {
                        shadow?.CopyGradientsToMaster();
                        shadow?.CopyBuffersToMaster();
                        sync?.Synchronize(); // tower gradients summed, objective gradients averaged over ranks
                        var gradNorm = options.ClipGradNorm > 0 ? GradientClipping.ClipNorm(model.parameters(), options.ClipGradNorm) : null;
                        double lr = schedule.LearningRate(state.Step);
                        schedule.Apply(optimizer, state.Step);
                        optimizer.step();
                        optimizer.zero_grad();
                        shadow?.SyncToCompute();
                        stepTimer.Stop();
                        modelSeconds += stepTimer.Elapsed.TotalSeconds;
                        double ecgPerSecond = batch.Count * dist.WorldSize * options.GradientAccumulation / stepTimer.Elapsed.TotalSeconds;
                        stepTimer.Reset();
                        double loss = accumulatedLoss;
                        state = state with { Step = state.Step + 1, NextBatch = batch.Index + 1, LossFirst = double.IsNaN(state.LossFirst) ? loss : state.LossFirst };
                        stepsThisRun++;
                        recentLosses.Enqueue(loss);
                        if (recentLosses.Count > 10) recentLosses.Dequeue();
                        if (state.Step % options.LogEvery == 0 || state.Step == total)
                        {
                            metrics?.WriteStep(state.Step, state.Epoch, loss, lr, result.TermsToDoubles(), ecgPerSecond, gradNorm?.item<float>(), ResidentMemory.Megabytes());
                            dist.ThrowIfDiverged(model, state.Step);
                        }
                        if (dist.IsPrimary) progress?.Report(new TrainingProgress(state.Step, total, state.Epoch, loss, ecgPerSecond));
                        micro = 0;
                        accumulatedLoss = 0;
                    }
                    else
                    {
                        stepTimer.Stop();
                    }
                }
                if (micro != 0) continue;
                if (options.ValidateEvery > 0 && state.Step % options.ValidateEvery == 0) Validate(state.Epoch);
                if (options.CheckpointEvery > 0 && state.Step % options.CheckpointEvery == 0 && state.Step < total)
                {
                    lastCheckpoint = WriteCheckpoint($"{StepPrefix}{state.Step:D7}", state);
                    Prune();
                }
                if (dist.AnyRank(cancellationToken.IsCancellationRequested)) { interrupted = true; break; }
                if (state.Step >= total) break;
            }
            if (interrupted) break;
            if (state.NextBatch >= batchesPerEpoch || state.Step >= total)
            {
                if (options.ValidateEvery == 0 || state.Step >= total) Validate(state.Epoch);
                if (state.NextBatch >= batchesPerEpoch) state = state with { Epoch = state.Epoch + 1, NextBatch = 0 };
            }
            if (dist.AnyRank(cancellationToken.IsCancellationRequested)) interrupted = true;
        }
        if (micro != 0) optimizer.zero_grad(); // an incomplete accumulation at cancellation is dropped, as the resume will redo it

        dist.AverageBuffers(model);
        string weightsSha;
        using (var scope = NewDisposeScope()) weightsSha = ModuleState.Sha256(model);
        var rankShas = dist.GatherDigests(weightsSha);
        state = state with { Complete = !interrupted };
        lastCheckpoint = WriteCheckpoint($"{StepPrefix}{state.Step:D7}", state);
        Prune();
        if (dist.IsPrimary) skipped.Write(run);

        IReadOnlyDictionary<string, double> test = new Dictionary<string, double>();
        if (!interrupted && testLoader is not null)
        {
            if (bestCheckpoint is not null && state.BestStep != state.Step) ModuleState.Load(model, Path.Combine(bestCheckpoint, EcgClipModelFactory.WeightsFileName));
            test = Evaluate(model, bundle.Batcher, testLoader, data.Dataset.LabelSpace.Names, loaderToken);
            metrics?.WriteValidation(state.BestStep >= 0 ? state.BestStep : state.Step, state.Epoch, "test", test);
        }
        if (interrupted) _logger.LogWarning("interrupted at step {Step}; checkpoint {Checkpoint} written, continue with --resume", state.Step, lastCheckpoint);
        shadow?.Dispose();

        return new TrainingSummary
        {
            Steps = state.Step,
            StepsThisRun = stepsThisRun,
            Epochs = state.Epoch + (state.NextBatch > 0 ? 1 : 0),
            LossFirst = state.LossFirst,
            LossLast = recentLosses.Count > 0 ? recentLosses.Average() : double.NaN,
            EcgPerSecond = modelSeconds > 0 ? ecgsSeen / modelSeconds : double.NaN,
            LoaderRecordsPerSecond = trainLoader.RecordsPerSecond,
            WallSeconds = wall.Elapsed.TotalSeconds,
            Skipped = skipped.Count,
            WeightsSha256 = weightsSha,
            RankWeightsSha256 = rankShas,
            WorldSize = dist.WorldSize,
            Validation = bestMetrics,
            Test = test,
            BestCheckpoint = bestCheckpoint,
            LastCheckpoint = lastCheckpoint,
            Interrupted = interrupted,
            ResumedFromStep = resumedFrom,
        };
    }

    /// <summary>File name of the optimiser state in a checkpoint.</summary>
    public const string OptimizerFileName = "optimizer.bin";

    /// <summary>Name of the best (validation-selected) checkpoint folder.</summary>
    public const string BestName = "best";

    /// <summary>Prefix of periodic checkpoint folders (<c>step-0000123</c>).</summary>
    public const string StepPrefix = "step-";

    private static ObjectiveResult Forward(EcgClipModel model, ResNetEcgEncoder? computeEcg, IReportBatcher batcher, PairedBatch batch, ComputePrecision precision, DistributedTraining dist)
    {
        var x = batch.ViewTensor(0);
        Tensor ecg;
        if (computeEcg is not null) ecg = computeEcg.forward(x.to(ScalarType.BFloat16)).to(ScalarType.Float32);
        else ecg = model.EncodeEcg(x);
        var (ids, mask) = batcher.Tokenize(batch.Reports);
        var text = model.EncodeText(ids, mask);
        var groups = tensor(dist.ReportGroups(batch), ScalarType.Int64);
        var contrastive = new ContrastiveBatch(ecg, text) { TextGroups = groups };
        if (model.Config.EcgViews == 2)
        {
            double p = model.Config.ViewDropout;
            contrastive = contrastive with
            {
                EcgEmbeddings = nn.functional.dropout(ecg, p, training: true),
                EcgEmbeddingsView2 = nn.functional.dropout(ecg, p, training: true),
            };
        }
        return model.Objective.Compute(dist.Gather(contrastive)); // the global batch when distributed
    }

    private IReadOnlyDictionary<string, double> Evaluate(EcgClipModel model, IReportBatcher batcher, PairedBatchLoader loader, IReadOnlyList<string> labelNames, CancellationToken ct)
    {
        bool wasTraining = model.training;
        using var scope = NewDisposeScope();
        model.eval();
        try
        {
            var (embeddings, items, reports) = EmbeddingPass.Ecg(model, loader, ct);
            int dim = model.Config.EmbeddingDim;
            var input = new ValidationInput(embeddings, items.Count, dim, reports, items.Select(i => i.Labels).ToList(), labelNames,
                texts => EmbeddingPass.Texts(model, batcher, texts, loader.BatchSize));
            return items.Count < 2 ? new Dictionary<string, double>() : _evaluator!.Evaluate(input);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
