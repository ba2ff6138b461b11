using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Abstractions;

/// <summary>The output of <see cref="IEcgEncoder.EncodeWithFeatureMap"/>: the embedding and the feature map it was pooled from.</summary>
/// <param name="Embedding">The embedding <c>[batch, OutputDim]</c>.</param>
/// <param name="FeatureMap">The last convolutional feature map <c>[batch, channels, time]</c> (for Grad-CAM), part of the same autograd graph.</param>
public sealed record EcgEncoding(Tensor Embedding, Tensor FeatureMap);

/// <summary>
/// An ECG encoder: a float tensor <c>[batch, leads, samples]</c> (physical units after the model's
/// preprocessing) to an embedding <c>[batch, OutputDim]</c>. Encoders keep no per-call state, so one instance may
/// serve several threads in evaluation mode.
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
    /// Encodes a batch and also returns the last convolutional feature map <c>[batch, channels, time]</c> the embedding
    /// was pooled from (for saliency such as Grad-CAM). Both tensors belong to the caller's dispose scope.
    /// </summary>
    EcgEncoding EncodeWithFeatureMap(Tensor ecg);
}
