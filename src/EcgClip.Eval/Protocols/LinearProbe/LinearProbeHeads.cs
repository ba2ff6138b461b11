using EcgClip.Core.Abstractions;
using EcgClip.Core.Heads;
using static TorchSharp.torch;

namespace EcgClip.Eval.Protocols;

/// <summary>Turns a fitted probe into an <see cref="ITaskHead"/> for inference on the encoder's embeddings.</summary>
public static class LinearProbeHeads
{
    /// <summary>
    /// A <see cref="LinearTaskHead"/> (float32, CPU, no dropout) holding <see cref="FittedLinearProbe.RawCoefficients"/>:
    /// its <see cref="ITaskHead.Predict"/> on raw embeddings reproduces <see cref="FittedLinearProbe.Predict(FeatureMatrix)"/> up to
    /// float32 rounding. The caller owns (disposes) the head.
    /// </summary>
    public static ITaskHead ToTaskHead(this FittedLinearProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        int d = probe.InputWidth, outputs = probe.OutputNames.Count;
        var raw = probe.RawCoefficients();
        var weight = new float[outputs * d];
        var bias = new float[outputs];
        for (int t = 0; t < outputs; t++)
        {
            for (int j = 0; j < d; j++) weight[t * d + j] = (float)raw[t * (d + 1) + j];
            bias[t] = (float)raw[t * (d + 1) + d];
        }
        var head = new LinearTaskHead(probe.Kind, d, outputs);
        using (no_grad())
        {
            foreach (var p in head.Module.parameters())
            {
                if (p.dim() == 2 && p.shape[0] == outputs && p.shape[1] == d) p.copy_(tensor(weight, [outputs, d]));
                else if (p.dim() == 1 && p.shape[0] == outputs) p.copy_(tensor(bias, [outputs]));
                else throw new InvalidOperationException($"unexpected head parameter of shape [{string.Join(", ", p.shape)}]");
            }
        }
        head.Module.eval();
        return head;
    }
}
