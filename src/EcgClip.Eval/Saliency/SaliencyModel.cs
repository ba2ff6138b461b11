using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Saliency;

/// <summary>
/// The function saliency explains: ECGs <c>[batch, leads, samples]</c> → one score per ECG <c>[batch]</c> (e.g. the logit
/// of one task), and, for Grad-CAM, the last convolutional feature map <c>[batch, channels, time]</c> the score was
/// computed from, in the same autograd graph (<see cref="Core.Abstractions.IEcgEncoder.EncodeWithFeatureMap"/>).
/// The model should be in evaluation mode (BatchNorm statistics fixed) so that each ECG's score depends on that ECG only.
/// Gradients are taken by backpropagation to the input; pass the modules the score uses so that their
/// parameters are excluded from the backward pass while saliency runs (faster, and no parameter gradients are left behind).
/// </summary>
public sealed class SaliencyModel
{
    private readonly Func<Tensor, (Tensor Score, Tensor? FeatureMap)> _forward;
    private readonly nn.Module[] _modules;

    /// <summary>A model that gives scores only (gradient methods and integrated gradients).</summary>
    public SaliencyModel(Func<Tensor, Tensor> score, params nn.Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(score);
        _forward = x => (score(x), null);
        _modules = modules ?? [];
    }

    /// <summary>A model that gives scores and the feature map they come from (all methods, Grad-CAM included).</summary>
    public SaliencyModel(Func<Tensor, (Tensor Score, Tensor FeatureMap)> scoreAndFeatureMap, params nn.Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(scoreAndFeatureMap);
        _forward = x => scoreAndFeatureMap(x);
        _modules = modules ?? [];
    }

    /// <summary>Turns off gradients of the modules' parameters until disposed (restoring each parameter's own setting).</summary>
    internal IDisposable FreezeParameters() => new Frozen(_modules.SelectMany(m => m.parameters()).Where(p => p.requires_grad).ToArray());

    private sealed class Frozen : IDisposable
    {
        private readonly TorchSharp.Modules.Parameter[] _parameters;

        public Frozen(TorchSharp.Modules.Parameter[] parameters)
        {
            _parameters = parameters;
            foreach (var p in parameters) p.requires_grad = false;
        }

        public void Dispose()
        {
            foreach (var p in _parameters) p.requires_grad = true;
        }
    }

    /// <summary>Whether the model exposes a feature map (needed by Grad-CAM).</summary>
    public bool HasFeatureMap(Tensor probe)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _forward(probe).FeatureMap is not null;
    }

    internal (Tensor Score, Tensor? FeatureMap) Forward(Tensor x)
    {
        var (score, map) = _forward(x);
        if (score.dim() != 1 || score.shape[0] != x.shape[0])
            throw new InvalidOperationException($"a saliency model must return one score per ECG ([{x.shape[0]}]), got [{string.Join(", ", score.shape)}]");
        return (score, map);
    }
}
