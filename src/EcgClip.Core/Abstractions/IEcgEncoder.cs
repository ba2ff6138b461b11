using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Abstractions;

/// <summary>
/// An ECG encoder: a float tensor <c>[batch, leads, samples]</c> (physical units after the model's
/// preprocessing) to an embedding <c>[batch, OutputDim]</c>.
/// </summary>
public interface IEcgEncoder : IDisposable
{
    /// <summary>Embedding width.</summary>
    int OutputDim { get; }

    /// <summary>Leads the encoder expects, in input order (canonical names, e.g. I, II, ..., V6).</summary>
    IReadOnlyList<string> Leads { get; }

    /// <summary>Sampling rate the encoder was built for (Hz).</summary>
    double SamplingRate { get; }

    /// <summary>The underlying TorchSharp module (for optimisers, saving, moving between devices).</summary>
    nn.Module Module { get; }

    /// <summary>Encodes a batch <c>[batch, leads, samples]</c> into <c>[batch, OutputDim]</c>.</summary>
    Tensor Encode(Tensor ecg);

    /// <summary>
    /// The last convolutional feature map <c>[batch, channels, time]</c> of the most recent <see cref="Encode"/> call,
    /// kept for saliency (Grad-CAM); null before the first call. Valid until the next call or the end of the dispose scope.
    /// </summary>
    Tensor? LastFeatureMap { get; }
}
