using EcgClip.Core.Abstractions;
using static TorchSharp.torch;

namespace EcgClip.Eval.Protocols;

/// <summary>Token ids and attention mask of a batch of texts, row-major <c>[texts, SequenceLength]</c>.</summary>
/// <param name="InputIds">Token ids.</param>
/// <param name="AttentionMask">1 = token, 0 = padding.</param>
/// <param name="SequenceLength">Tokens per row.</param>
public sealed record TokenizedTexts(long[] InputIds, long[] AttentionMask, int SequenceLength);

/// <summary>
/// <see cref="IReportTextEmbedder"/> over any <see cref="ITextEncoder"/> and a tokenizer function (e.g. the text
/// package's <c>ReportTokenizer.EncodeBatch</c>): texts are normalised, tokenised and encoded in batches in evaluation
/// mode without autograd; the module's training flag is restored. Owns (disposes) the encoder.
/// </summary>
/// <param name="encoder">The text tower (taken over).</param>
/// <param name="tokenize">Normalised texts → token ids and mask (padded to one length per call).</param>
/// <param name="normalize">The pretraining report normaliser; null trims, collapses whitespace and lower-cases.</param>
/// <param name="batchSize">Texts per forward pass.</param>
public sealed class TextEncoderEmbedder(ITextEncoder encoder, Func<IReadOnlyList<string>, TokenizedTexts> tokenize,
    Func<string, string>? normalize = null, int batchSize = 64) : IReportTextEmbedder
{
    /// <inheritdoc />
    public int OutputDim => encoder.OutputDim;

    /// <inheritdoc />
    public string Normalize(string report) =>
        normalize is null ? string.Join(' ', (report ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant() : normalize(report ?? "");

    /// <inheritdoc />
    public FeatureMatrix Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new ArgumentException("no text to embed");
        var module = encoder.Module;
        bool wasTraining = module.training;
        var device = EmbeddingCache.DeviceOf(module);
        int d = encoder.OutputDim;
        var rows = new float[texts.Count * d];
        try
        {
            module.eval();
            using var noGrad = no_grad();
            for (int start = 0; start < texts.Count; start += Math.Max(1, batchSize))
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(Math.Max(1, batchSize), texts.Count - start);
                var chunk = Enumerable.Range(start, count).Select(i => Normalize(texts[i])).ToArray();
                var tokens = tokenize(chunk);
                if (tokens.InputIds.Length != (long)count * tokens.SequenceLength || tokens.AttentionMask.Length != tokens.InputIds.Length)
                    throw new ArgumentException($"the tokenizer returned {tokens.InputIds.Length} ids for {count} texts of length {tokens.SequenceLength}");
                var ids = tensor(tokens.InputIds, [count, tokens.SequenceLength]).to(device);
                var mask = tensor(tokens.AttentionMask, [count, tokens.SequenceLength]).to(device);
                var output = encoder.Encode(ids, mask);
                if (output.dim() != 2 || output.shape[0] != count || output.shape[1] != d)
                    throw new ArgumentException($"text encoder returned [{string.Join(", ", output.shape)}], expected [{count}, {d}]");
                output.to_type(ScalarType.Float32).cpu().data<float>().CopyTo(rows.AsSpan(start * d, count * d));
            }
        }
        finally
        {
            module.train(wasTraining);
        }
        return new FeatureMatrix(rows, texts.Count, d);
    }

    /// <inheritdoc />
    public void Dispose() => encoder.Dispose();
}
