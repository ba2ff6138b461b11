using TorchSharp;
using static TorchSharp.torch;
using TorchSharp.Modules;

namespace EcgClip.Core.Training;

/// <summary>
/// AdamW with two parameter groups: weight decay for weight matrices and kernels; none for biases, normalisation
/// weights, every other 1-d or scalar parameter, and the objective's logit scale / bias (as CLIP and OpenCLIP do).
/// </summary>
public static class DecayGroups
{
    /// <summary>Whether <paramref name="name"/>/<paramref name="parameter"/> is excluded from weight decay.</summary>
    public static bool IsExcluded(string name, Parameter parameter) =>
        parameter.dim() <= 1 || name.Contains("logit_scale", StringComparison.Ordinal) || name.Contains("logit_bias", StringComparison.Ordinal);

    /// <summary>Splits the trainable parameters of <paramref name="model"/> into (decayed, not decayed), in state-dict order.</summary>
    public static (IReadOnlyList<(string Name, Parameter Parameter)> Decay, IReadOnlyList<(string Name, Parameter Parameter)> NoDecay) Split(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var decay = new List<(string, Parameter)>();
        var noDecay = new List<(string, Parameter)>();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!p.requires_grad) continue;
            (IsExcluded(name, p) ? noDecay : decay).Add((name, p));
        }
        return (decay, noDecay);
    }

    /// <summary>Creates AdamW (β 0.9/0.999, ε 1e-8) over the two groups of <paramref name="model"/>.</summary>
    public static AdamW CreateAdamW(nn.Module model, double learningRate, double weightDecay)
    {
        var (decay, noDecay) = Split(model);
        var groups = new List<AdamW.ParamGroup>
        {
            new(decay.Select(d => d.Parameter), new AdamW.Options { LearningRate = learningRate, weight_decay = weightDecay }),
            new(noDecay.Select(d => d.Parameter), new AdamW.Options { LearningRate = learningRate, weight_decay = 0 }),
        };
        return torch.optim.AdamW(groups, learningRate, weight_decay: weightDecay);
    }
}
