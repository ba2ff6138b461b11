using EcgClip.Core.Objectives;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Distributed.Checks;

/// <summary>
/// A BatchNorm-free two-tower CLIP model small enough for exact checks: ECG tower Linear(48→32)·tanh·Linear(32→16),
/// text tower Linear(20→16), and main's <see cref="ClipObjective"/> (learnable logit scale). Shared by the MPI test host
/// and the in-process-threads unit tests (compiled into both).
/// </summary>
internal sealed class TinyClipModel : IDisposable
{
    public const int EcgFeatures = 48;
    public const int TextFeatures = 20;

    private TinyClipModel(long seed)
    {
        torch.manual_seed(seed);
        EcgTower = nn.Sequential(("fc1", nn.Linear(EcgFeatures, 32)), ("act", nn.Tanh()), ("fc2", nn.Linear(32, 16)));
        TextTower = nn.Linear(TextFeatures, 16);
        Objective = new ClipObjective(0.07);
    }

    public Sequential EcgTower { get; }

    public Linear TextTower { get; }

    public ClipObjective Objective { get; }

    /// <summary>Parameters before the gather (gradients summed over ranks).</summary>
    public IReadOnlyList<Parameter> TowerParameters => [.. EcgTower.parameters(), .. TextTower.parameters()];

    /// <summary>Parameters after the gather (gradients averaged over ranks).</summary>
    public IReadOnlyList<Parameter> ObjectiveParameters => [.. Objective.parameters()];

    /// <summary>Every parameter, named, in a fixed order (for digests and comparisons).</summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> Named =>
    [
        .. EcgTower.named_parameters().Select(p => ("ecg." + p.name, (Tensor)p.parameter)),
        .. TextTower.named_parameters().Select(p => ("text." + p.name, (Tensor)p.parameter)),
        .. Objective.named_parameters().Select(p => ("objective." + p.name, (Tensor)p.parameter)),
    ];

    /// <summary>The model with weights drawn from <paramref name="seed"/> by torch's global generator (threads racing for it get different weights: ranks then rely on the broadcast from rank 0).</summary>
    public static TinyClipModel Create(long seed) => new(seed);

    /// <summary>Copies every parameter from <paramref name="other"/>.</summary>
    public void CopyFrom(TinyClipModel other)
    {
        using var noGrad = no_grad();
        foreach (var ((_, mine), (_, theirs)) in Named.Zip(other.Named)) mine.copy_(theirs);
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in Named) p.grad?.zero_();
    }

    public void Dispose()
    {
        EcgTower.Dispose();
        TextTower.Dispose();
        Objective.Dispose();
    }
}
