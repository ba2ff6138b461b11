using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Saliency;

/// <summary>
/// Attributions for a batch of ECGs, on the host: <c>Values[b, lead, t]</c> (row-major, float32) with the shape given.
/// Grad-CAM maps have one "lead" (the map applies to all leads at a time point).
/// </summary>
/// <param name="Method">What produced it ("gradient", "gradient_x_input", "integrated_gradients", "gradcam").</param>
/// <param name="Batch">ECGs in the batch.</param>
/// <param name="Leads">Leads (1 for Grad-CAM).</param>
/// <param name="Samples">Samples per lead.</param>
/// <param name="Values">The attributions, <c>[Batch, Leads, Samples]</c> row-major.</param>
public sealed record SaliencyMap(string Method, int Batch, int Leads, int Samples, float[] Values)
{
    /// <summary>For integrated gradients: f(x) − f(baseline) per ECG (the sum the attributions should add up to); else empty.</summary>
    public IReadOnlyList<double> ScoreDifference { get; init; } = [];

    /// <summary>The attributions of ECG <paramref name="b"/>, <c>[Leads, Samples]</c>.</summary>
    public ReadOnlySpan<float> Of(int b) => Values.AsSpan(b * Leads * Samples, Leads * Samples);

    /// <summary>Sum of |attribution| per lead for ECG <paramref name="b"/> (which leads matter).</summary>
    public double[] AbsoluteMassPerLead(int b)
    {
        var span = Of(b);
        var mass = new double[Leads];
        for (int l = 0; l < Leads; l++)
            for (int t = 0; t < Samples; t++) mass[l] += Math.Abs(span[l * Samples + t]);
        return mass;
    }

    /// <summary>Sum of attributions of ECG <paramref name="b"/> (for integrated gradients ≈ <see cref="ScoreDifference"/>).</summary>
    public double Sum(int b)
    {
        double s = 0;
        foreach (float v in Of(b)) s += v;
        return s;
    }

    internal static SaliencyMap FromTensor(string method, Tensor values)
    {
        using var scope = NewDisposeScope();
        var v = values.detach().to(float32).cpu().contiguous();
        int batch = (int)v.shape[0], leads = (int)v.shape[1], samples = (int)v.shape[2];
        return new SaliencyMap(method, batch, leads, samples, v.data<float>().ToArray());
    }
}
