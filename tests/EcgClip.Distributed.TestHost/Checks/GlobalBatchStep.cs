using EcgClip.Core.Abstractions;
using EcgClip.Core.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Distributed.Checks;

/// <summary>What one distributed step measured against the single-process step on the same global batch.</summary>
/// <param name="Loss">Global-batch CLIP loss computed on this rank from the gathered embeddings.</param>
/// <param name="LossDifference">|loss − single-process loss on the concatenated batch|.</param>
/// <param name="EmbeddingGradientDifference">Max |∂L/∂(own embeddings) − the single-process gradient's rows of this rank|.</param>
/// <param name="GradientDifference">Max |synchronised parameter gradient − single-process gradient| over all parameters.</param>
/// <param name="NaiveAverageDifference">The same if every gradient had been averaged (DDP-style): shows the check can fail.</param>
/// <param name="Digest">SHA-256 of all parameters after the optimiser step.</param>
internal sealed record StepReport(int Step, double Loss, double LossDifference, double EmbeddingGradientDifference, double GradientDifference, double NaiveAverageDifference, string Digest);

/// <summary>
/// One data-parallel CLIP step (local forward → <see cref="EmbeddingGather"/> → ClipObjective on the global batch →
/// backward → <see cref="GradientSynchronizer"/> → Adam), checked against a single-process replica that computes the
/// same step on the concatenated global batch.
/// </summary>
internal sealed class GlobalBatchStep : IDisposable
{
    public const int DatasetSize = 67; // not a multiple of 2: the sampler drops the remainder
    private readonly IDistributedBackend _backend;
    private readonly TinyClipModel _model;
    private readonly TinyClipModel _reference;
    private readonly EmbeddingGather _gather;
    private readonly GradientSynchronizer _sync;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _ecg;
    private readonly Tensor _text;
    private readonly int _batchPerRank;
    private readonly ulong _seed;

    public GlobalBatchStep(IDistributedBackend backend, int batchPerRank, ulong seed)
    {
        _backend = backend;
        _batchPerRank = batchPerRank;
        _seed = seed;
        _model = TinyClipModel.Create(17);
        _reference = TinyClipModel.Create(17);
        // A private generator: ranks that are threads of one process must not share torch's global one.
        using var generator = new Generator(29);
        _ecg = randn(DatasetSize, TinyClipModel.EcgFeatures, generator: generator);
        _text = randn(DatasetSize, TinyClipModel.TextFeatures, generator: generator) + 0.5 * _ecg.narrow(1, 0, TinyClipModel.TextFeatures);
        _gather = new EmbeddingGather(backend);
        _sync = GradientSynchronizer.ForGlobalBatch(backend, _model.TowerParameters, _model.ObjectiveParameters);
        _optimizer = optim.Adam([.. _model.TowerParameters, .. _model.ObjectiveParameters], lr: 0.01);
    }

    /// <summary>Digest of this rank's parameters.</summary>
    public string Digest => ParameterDigest.Compute(_model.Named);

    /// <summary>Gradient bytes all-reduced per step.</summary>
    public long BytesPerStep => _sync.BytesPerStep;

    /// <summary>Shifts every parameter by <paramref name="delta"/> (to prove that the start-up broadcast works).</summary>
    public void Perturb(double delta)
    {
        using var noGrad = no_grad();
        foreach (var (_, p) in _model.Named) p.add_(delta);
    }

    /// <summary>Broadcasts rank 0's parameters to every rank (what the trainer does at start).</summary>
    public void BroadcastFromRoot()
    {
        ParameterBroadcast.FromRoot(_backend, _model.EcgTower);
        ParameterBroadcast.FromRoot(_backend, _model.TextTower);
        ParameterBroadcast.FromRoot(_backend, _model.Objective);
    }

    /// <summary>Runs global step <paramref name="step"/> and compares it with the single-process replica.</summary>
    public StepReport Run(int step)
    {
        using var scope = NewDisposeScope();
        int samplesPerRank = new DistributedShardSampler(DatasetSize, 0, _backend.WorldSize, _seed).SamplesPerRank;
        int batchesPerEpoch = samplesPerRank / _batchPerRank;
        int epoch = step / batchesPerEpoch, k = step % batchesPerEpoch;
        var perRank = Enumerable.Range(0, _backend.WorldSize)
            .Select(r => new DistributedShardSampler(DatasetSize, r, _backend.WorldSize, _seed).EpochIndices(epoch).Skip(k * _batchPerRank).Take(_batchPerRank).Select(i => (long)i).ToArray())
            .ToArray();
        var local = perRank[_backend.Rank];
        var global = perRank.SelectMany(x => x).ToArray();

        // Distributed step on this rank's share.
        _optimizer.zero_grad();
        var e = _model.EcgTower.forward(_ecg.index_select(0, tensor(local)));
        var t = _model.TextTower.forward(_text.index_select(0, tensor(local)));
        e.retain_grad();
        t.retain_grad();
        var result = _model.Objective.Compute(_gather.Gather(new ContrastiveBatch(e, t)));
        result.Loss.backward();
        _sync.Synchronize();

        // Single-process replica on the concatenated global batch.
        _reference.CopyFrom(_model);
        _reference.ZeroGrad();
        var eRef = _reference.EcgTower.forward(_ecg.index_select(0, tensor(global)));
        var tRef = _reference.TextTower.forward(_text.index_select(0, tensor(global)));
        eRef.retain_grad();
        tRef.retain_grad();
        var reference = _reference.Objective.Compute(eRef, tRef);
        reference.Loss.backward();

        long offset = _gather.LocalOffset(_batchPerRank);
        double lossDiff = Math.Abs(result.Loss.item<float>() - reference.Loss.item<float>());
        double embDiff = Math.Max(MaxAbs(e.grad!, eRef.grad!.narrow(0, offset, _batchPerRank)), MaxAbs(t.grad!, tRef.grad!.narrow(0, offset, _batchPerRank)));
        var mine = _model.Named.Select(n => ((Tensor)n.Tensor).grad!).ToList();
        var theirs = _reference.Named.Select(n => ((Tensor)n.Tensor).grad!).ToList();
        double gradDiff = mine.Zip(theirs).Max(g => MaxAbs(g.First, g.Second));
        int towers = _model.TowerParameters.Count;
        double naive = mine.Take(towers).Zip(theirs).Max(g => MaxAbs(g.First / _backend.WorldSize, g.Second)); // towers averaged, as DDP would

        _optimizer.step();
        return new StepReport(step, result.Loss.item<float>(), lossDiff, embDiff, gradDiff, naive, Digest);
    }

    private static double MaxAbs(Tensor a, Tensor b) => (a - b).abs().max().to_type(ScalarType.Float64).item<double>();

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _reference.Dispose();
        _ecg.Dispose();
        _text.Dispose();
    }
}
