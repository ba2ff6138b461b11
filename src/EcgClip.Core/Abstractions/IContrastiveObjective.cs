using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Abstractions;

/// <summary>
/// What an objective receives for one batch: paired ECG and text embeddings <c>[batch, dim]</c> (row i of both is a
/// pair), optionally a second ECG view for uni-modal alignment and the report groups for shared positives.
/// </summary>
/// <param name="EcgEmbeddings">ECG embeddings <c>[batch, dim]</c> (not necessarily normalised).</param>
/// <param name="TextEmbeddings">Report embeddings <c>[batch, dim]</c>.</param>
public sealed record ContrastiveBatch(Tensor EcgEmbeddings, Tensor TextEmbeddings)
{
    /// <summary>A second view of the ECG embeddings <c>[batch, dim]</c> (e.g. another dropout sample, as MERL's UMA uses); null when not produced.</summary>
    public Tensor? EcgEmbeddingsView2 { get; init; }

    /// <summary>
    /// Report group per row, int64 <c>[batch]</c>: rows with equal ids carry the same normalised report and may be
    /// treated as positives of each other (soft targets) instead of false negatives. Null: diagonal targets only.
    /// </summary>
    public Tensor? TextGroups { get; init; }
}

/// <summary>
/// Named loss terms and diagnostics returned by an objective; the trainer minimises <see cref="Loss"/> and logs the rest.
/// Terms are detached scalar tensors (on the embeddings' device) so that computing them never forces a host sync:
/// the trainer reads them only when it logs.
/// </summary>
/// <param name="Loss">Scalar tensor to minimise.</param>
/// <param name="Terms">Named detached scalars: loss terms (e.g. <c>ecg_text</c>, <c>ecg_ecg</c>) and diagnostics (e.g. <c>logit_scale</c>, <c>accuracy</c>).</param>
public sealed record ObjectiveResult(Tensor Loss, IReadOnlyDictionary<string, Tensor> Terms)
{
    /// <summary>Copies the terms to the host as doubles (one sync); call at logging time only.</summary>
    public IReadOnlyDictionary<string, double> TermsToDoubles()
    {
        var result = new Dictionary<string, double>(Terms.Count, StringComparer.Ordinal);
        foreach (var (name, value) in Terms) result[name] = value.to_type(float64).cpu().item<double>();
        return result;
    }
}

/// <summary>
/// A contrastive objective over paired ECG and text embeddings. It may own learnable parameters (e.g. a logit
/// scale or bias): they are exposed through <see cref="Module"/> so the optimiser and checkpoints see them.
/// </summary>
public interface IContrastiveObjective : IDisposable
{
    /// <summary>Short name (e.g. "clip").</summary>
    string Name { get; }

    /// <summary>Learnable parameters of the objective, or an empty module.</summary>
    nn.Module Module { get; }

    /// <summary>Computes the loss for one batch.</summary>
    ObjectiveResult Compute(ContrastiveBatch batch);

    /// <summary>Computes the loss for a batch of paired embeddings with diagonal targets (row i of both is a pair).</summary>
    ObjectiveResult Compute(Tensor ecgEmbeddings, Tensor textEmbeddings) => Compute(new ContrastiveBatch(ecgEmbeddings, textEmbeddings));
}
