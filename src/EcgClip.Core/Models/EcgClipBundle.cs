using EcgClip.Signal.Dsp.Preprocessing;

namespace EcgClip.Core.Models;

/// <summary>What <see cref="IEcgClipModelFactory"/> hands out: the model with the tokenisation and preprocessing it was trained with.</summary>
public sealed class EcgClipBundle : IDisposable
{
    /// <summary>Groups the parts; the bundle owns (disposes) the model.</summary>
    public EcgClipBundle(EcgClipModel model, IReportBatcher batcher, PreprocessingPipeline preprocessing)
    {
        Model = model;
        Batcher = batcher;
        Preprocessing = preprocessing;
    }

    /// <summary>The model (both towers and the objective).</summary>
    public EcgClipModel Model { get; }

    /// <summary>Report normalisation and tokenisation.</summary>
    public IReportBatcher Batcher { get; }

    /// <summary>The serving-time preprocessing pipeline (the training one).</summary>
    public PreprocessingPipeline Preprocessing { get; }

    /// <summary>The configuration.</summary>
    public ModelConfig Config => Model.Config;

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
