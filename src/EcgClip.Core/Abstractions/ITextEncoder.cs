using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Abstractions;

/// <summary>A report text encoder: token ids and attention mask, both <c>[batch, tokens]</c> int64, to <c>[batch, OutputDim]</c>.</summary>
public interface ITextEncoder : IDisposable
{
    /// <summary>Embedding width.</summary>
    int OutputDim { get; }

    /// <summary>Longest token sequence accepted.</summary>
    int MaxLength { get; }

    /// <summary>The underlying TorchSharp module.</summary>
    nn.Module Module { get; }

    /// <summary>Encodes token ids <c>[batch, tokens]</c> with an attention mask (1 = token, 0 = padding) into <c>[batch, OutputDim]</c>.</summary>
    Tensor Encode(Tensor inputIds, Tensor attentionMask);
}
