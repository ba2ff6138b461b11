using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Training.Optimization;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, 2019) over a model's trainable parameters in two groups: group 0 decays, group 1 does
/// not. Exempt from weight decay, as in OpenCLIP: biases, normalisation weights (BatchNorm, LayerNorm, GroupNorm,
/// InstanceNorm), every parameter with fewer than two dimensions, and names containing <c>logit_scale</c> or
/// <c>logit_bias</c>. Parameters with <c>requires_grad</c> false are left out. It is the optimizer itself (an
/// <see cref="AdamW"/>), carrying the name lists for tests and the log.
/// </summary>
public sealed class AdamWParameterGroups : AdamW
{
    private AdamWParameterGroups(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay,
                                 IReadOnlyList<string> decay, IReadOnlyList<string> noDecay)
        : base(groups, lr, beta1, beta2, eps, weightDecay)
    {
        Decay = decay;
        NoDecay = noDecay;
    }

    /// <summary>This optimizer (param group 0: decay, group 1: no decay), typed as <see cref="AdamW"/>.</summary>
    public AdamW Optimizer => this;

    /// <summary>Names of the parameters with weight decay, in module order.</summary>
    public IReadOnlyList<string> Decay { get; }

    /// <summary>Names of the parameters without weight decay, in module order.</summary>
    public IReadOnlyList<string> NoDecay { get; }

    /// <summary>A one-line summary for a log: counts of both groups.</summary>
    public string Describe() => $"AdamW: {Decay.Count} tensors with weight decay, {NoDecay.Count} without ({string.Join(", ", NoDecay.Take(6))}{(NoDecay.Count > 6 ? ", …" : "")})";

    /// <summary>Creates the optimizer for <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">Out-of-range hyper-parameters, or no trainable parameter.</exception>
    public static AdamWParameterGroups Create(nn.Module model, double lr, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(lr >= 0) || double.IsInfinity(lr)) throw new ArgumentException($"learning rate must be finite and ≥ 0, got {lr}", nameof(lr));
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay)) throw new ArgumentException($"weight decay must be finite and ≥ 0, got {weightDecay}", nameof(weightDecay));
        var normParameters = new HashSet<IntPtr>();
        foreach (var (_, m) in model.named_modules())
        {
            if (!IsNormalisation(m)) continue;
            foreach (var (_, p) in m.named_parameters(recurse: false)) normParameters.Add(p.Handle);
        }
        var decay = new List<(string Name, Parameter P)>();
        var noDecay = new List<(string Name, Parameter P)>();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!p.requires_grad) continue;
            bool exempt = p.dim() < 2
                || name.EndsWith("bias", StringComparison.Ordinal)
                || name.Contains("logit_scale", StringComparison.Ordinal)
                || name.Contains("logit_bias", StringComparison.Ordinal)
                || normParameters.Contains(p.Handle);
            (exempt ? noDecay : decay).Add((name, p));
        }
        if (decay.Count + noDecay.Count == 0) throw new ArgumentException("the model has no parameter with requires_grad", nameof(model));
        var groups = new[]
        {
            new AdamW.ParamGroup(decay.Select(d => d.P), lr: lr, beta1: beta1, beta2: beta2, eps: eps, weight_decay: weightDecay),
            new AdamW.ParamGroup(noDecay.Select(d => d.P), lr: lr, beta1: beta1, beta2: beta2, eps: eps, weight_decay: 0),
        };
        return new AdamWParameterGroups(groups, lr, beta1, beta2, eps, weightDecay, decay.Select(d => d.Name).ToList(), noDecay.Select(d => d.Name).ToList());
    }

    private static bool IsNormalisation(nn.Module m) => m is BatchNorm1d or BatchNorm2d or BatchNorm3d or LayerNorm or GroupNorm
        or InstanceNorm1d or InstanceNorm2d or InstanceNorm3d;
}
