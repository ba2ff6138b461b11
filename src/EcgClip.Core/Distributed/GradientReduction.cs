namespace EcgClip.Core.Distributed;

/// <summary>How the gradients of one parameter group are combined over ranks.</summary>
public enum GradientReduction
{
    /// <summary>
    /// Sum over ranks. Right for parameters that produce the gathered embeddings (ECG and text towers, projection
    /// heads) when the loss is computed over the global batch through <see cref="EmbeddingGather"/>: each rank's
    /// gradient is then only the contribution of its own rows, and the contributions add up to the global gradient.
    /// </summary>
    Sum,

    /// <summary>
    /// Mean over ranks. Right for parameters applied after the gather (an objective's logit scale or bias: every rank
    /// already holds the full gradient) and for towers trained with a per-rank (local) loss, as DDP does.
    /// </summary>
    Average,
}
