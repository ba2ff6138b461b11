using EcgClip.Core.Abstractions;
using static TorchSharp.torch;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Computes cached embeddings with a frozen encoder: evaluation mode (BatchNorm uses its running statistics and does
/// not update them; dropout is off) and no autograd, so neither weights nor buffers can change. The module's
/// training flag is restored afterwards. The probes then work on the returned arrays only.
/// </summary>
public static class FrozenEncoderEmbeddings
{
    /// <summary>Encodes every batch <c>[batch, leads, samples]</c> (float32, the encoder's device) in order.</summary>
    /// <param name="encoder">The encoder; its weights are only read.</param>
    /// <param name="batches">Input batches, owned by the caller (not disposed).</param>
    /// <returns>Embeddings <c>[Σ batch, OutputDim]</c>, float32, row order = input order.</returns>
    /// <exception cref="ArgumentException">No batch, or an output of the wrong width.</exception>
    public static FeatureMatrix Compute(IEcgEncoder encoder, IEnumerable<Tensor> batches)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(batches);
        var module = encoder.Module;
        bool wasTraining = module.training;
        var rows = new List<float>();
        int count = 0, d = encoder.OutputDim;
        try
        {
            module.eval();
            using var noGrad = no_grad();
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                var output = encoder.Encode(batch);
                if (output.dim() != 2 || output.shape[1] != d)
                    throw new ArgumentException($"encoder returned [{string.Join(", ", output.shape)}], expected [batch, {d}]");
                rows.AddRange(output.to_type(ScalarType.Float32).cpu().data<float>().ToArray());
                count += (int)output.shape[0];
            }
        }
        finally
        {
            module.train(wasTraining);
        }
        if (count == 0) throw new ArgumentException("no batch to encode");
        return new FeatureMatrix(rows.ToArray(), count, d);
    }
}
