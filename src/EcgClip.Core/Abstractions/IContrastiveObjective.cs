using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Abstractions;

/// <summary>Named loss terms and diagnostics returned by an objective; the trainer sums <see cref="Loss"/> and logs the rest.</summary>
/// <param name="Loss">Scalar tensor to minimise.</param>
/// <param name="Terms">Named scalar terms (e.g. <c>ecg_text</c>, <c>ecg_ecg</c>) and diagnostics (e.g. <c>logit_scale</c>, <c>accuracy</c>).</param>
public sealed record ObjectiveResult(Tensor Loss, IReadOnlyDictionary<string, double> Terms);

/// <summary>
/// A contrastive objective over paired ECG and text embeddings <c>[batch, dim]</c>. It may own learnable
/// parameters (e.g. a logit scale): they are exposed through <see cref="Module"/> so the optimiser sees them.
/// </summary>
public interface IContrastiveObjective : IDisposable
{
    /// <summary>Short name (e.g. "clip").</summary>
    string Name { get; }

    /// <summary>Learnable parameters of the objective, or an empty module.</summary>
    nn.Module Module { get; }

    /// <summary>Computes the loss for a batch of paired embeddings (row i of both is a pair).</summary>
    ObjectiveResult Compute(Tensor ecgEmbeddings, Tensor textEmbeddings);
}
