using static TorchSharp.torch;

namespace EcgClip.Text.Encoders;

/// <summary>Validates token ids before an embedding lookup (which would otherwise fail natively).</summary>
internal static class TokenIdRange
{
    /// <summary>Throws <see cref="ArgumentException"/> unless every id is an integer in [0, <paramref name="vocabSize"/>).</summary>
    public static void Check(Tensor inputIds, int vocabSize)
    {
        if (inputIds.dtype is not (ScalarType.Int64 or ScalarType.Int32))
            throw new ArgumentException($"token ids must be int64 (or int32), got {inputIds.dtype}");
        if (inputIds.numel() == 0) return;
        using var scope = NewDisposeScope();
        long min = inputIds.min().item<long>(), max = inputIds.max().item<long>();
        if (min < 0 || max >= vocabSize)
            throw new ArgumentException($"token ids must be in [0, {vocabSize}); got [{min}, {max}] — is the vocab.txt the one this encoder was built for?");
    }
}
