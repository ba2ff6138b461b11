using static TorchSharp.torch;

namespace EcgClip.Text.Tokenization;

/// <summary>
/// A padded batch of token ids with its attention mask, row-major <c>[BatchSize, SequenceLength]</c>
/// (1 = token, 0 = padding; padding uses the <c>[PAD]</c> id).
/// </summary>
public sealed class TokenBatch
{
    internal TokenBatch(long[] inputIds, long[] attentionMask, int batchSize, int sequenceLength)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
    }

    /// <summary>Token ids, row-major.</summary>
    public long[] InputIds { get; }

    /// <summary>Attention mask, row-major.</summary>
    public long[] AttentionMask { get; }

    /// <summary>Number of reports.</summary>
    public int BatchSize { get; }

    /// <summary>Tokens per row after padding.</summary>
    public int SequenceLength { get; }

    /// <summary>The ids of row <paramref name="row"/> without padding.</summary>
    public long[] Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, BatchSize);
        int n = 0;
        for (int j = 0; j < SequenceLength; j++) n += (int)AttentionMask[row * SequenceLength + j];
        return InputIds.AsSpan(row * SequenceLength, n).ToArray();
    }

    /// <summary>New int64 CPU tensors <c>[BatchSize, SequenceLength]</c> (ids, mask); the caller owns them.</summary>
    public (Tensor InputIds, Tensor AttentionMask) ToTensors() =>
        (tensor(InputIds, [BatchSize, SequenceLength], ScalarType.Int64), tensor(AttentionMask, [BatchSize, SequenceLength], ScalarType.Int64));
}
