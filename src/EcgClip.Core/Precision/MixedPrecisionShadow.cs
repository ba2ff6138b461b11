using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Precision;

/// <summary>
/// Mixed-precision training without autocast (TorchSharp has none): a bfloat16 compute copy of a float32 master module
/// (Micikevicius et al., "Mixed Precision Training", ICLR 2018). Each step: <see cref="SyncToCompute"/> copies the master
/// weights into the bf16 copy, the caller runs forward and backward on <see cref="Compute"/> with bf16 inputs and a
/// float32 loss, then <see cref="CopyGradientsToMaster"/> hands the gradients to the float32 master parameters, which
/// the optimiser steps. BatchNorm running statistics are updated in the compute copy and copied back to the master by
/// <see cref="CopyBuffersToMaster"/> (they hold bf16 precision, about 3 significant digits). bf16 keeps float32's
/// exponent range, so no loss scaling is needed.
/// </summary>
public sealed class MixedPrecisionShadow : IDisposable
{
    private readonly (Tensor Master, Tensor Compute)[] _parameters;
    private readonly (Tensor Master, Tensor Compute)[] _buffers;

    /// <summary>Pairs <paramref name="master"/> with <paramref name="compute"/>, a module of identical structure, which is cast to bf16.</summary>
    /// <exception cref="ArgumentException">The two modules' parameter or buffer names or shapes differ.</exception>
    public MixedPrecisionShadow(nn.Module master, nn.Module compute)
    {
        Master = master ?? throw new ArgumentNullException(nameof(master));
        Compute = compute ?? throw new ArgumentNullException(nameof(compute));
        Compute.to(bfloat16);
        _parameters = Pair(master.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), compute.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), "parameter");
        _buffers = Pair(master.named_buffers(), compute.named_buffers(), "buffer");
        SyncToCompute();
    }

    /// <summary>The float32 module the optimiser updates (and checkpoints save).</summary>
    public nn.Module Master { get; }

    /// <summary>The bfloat16 copy forward and backward run on.</summary>
    public nn.Module Compute { get; }

    private static (Tensor, Tensor)[] Pair(IEnumerable<(string, Tensor)> master, IEnumerable<(string, Tensor)> compute, string what)
    {
        var m = master.ToList();
        var c = compute.ToList();
        if (m.Count != c.Count) throw new ArgumentException($"master has {m.Count} {what}s, compute copy {c.Count}");
        var pairs = new (Tensor, Tensor)[m.Count];
        for (int i = 0; i < m.Count; i++)
        {
            if (m[i].Item1 != c[i].Item1 || !m[i].Item2.shape.SequenceEqual(c[i].Item2.shape))
                throw new ArgumentException($"{what} {i}: master '{m[i].Item1}' [{string.Join(",", m[i].Item2.shape)}] vs compute '{c[i].Item1}' [{string.Join(",", c[i].Item2.shape)}]");
            pairs[i] = (m[i].Item2, c[i].Item2);
        }
        return pairs;
    }

    /// <summary>Copies the master weights (and buffers) into the bf16 compute copy; call before each forward pass.</summary>
    public void SyncToCompute()
    {
        using var noGrad = no_grad();
        foreach (var (m, c) in _parameters) c.copy_(m);
        foreach (var (m, c) in _buffers) c.copy_(m);
    }

    /// <summary>
    /// Sets each master parameter's gradient to the compute copy's gradient in float32 (zero where the copy has none)
    /// and clears the copy's gradients. Call after backward, before the optimiser step.
    /// </summary>
    public void CopyGradientsToMaster()
    {
        using var noGrad = no_grad();
        foreach (var (m, c) in _parameters)
        {
            if (!m.requires_grad) continue;
            var g = c.grad;
            if (m.grad is null) m.grad = g is null ? zeros_like(m) : g.to(float32);
            else if (g is null) m.grad.zero_();
            else m.grad.copy_(g);
        }
        Compute.zero_grad();
    }

    /// <summary>Copies the compute copy's buffers (BatchNorm running statistics) back into the master, in float32.</summary>
    public void CopyBuffersToMaster()
    {
        using var noGrad = no_grad();
        foreach (var (m, c) in _buffers) m.copy_(c);
    }

    /// <inheritdoc />
    public void Dispose() => Compute.Dispose();
}
