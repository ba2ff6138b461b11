using EcgClip.Core.Abstractions;
using EcgClip.Eval.Protocols;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class TextEncoderEmbedderTests
{
    public TextEncoderEmbedderTests() => EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    /// <summary>Masked mean of token embeddings, with dropout so that training mode would change the output.</summary>
    private sealed class BagEncoder : nn.Module<Tensor, Tensor, Tensor>, ITextEncoder
    {
        private readonly TorchSharp.Modules.Embedding embedding;
        private readonly TorchSharp.Modules.Dropout dropout;

        public BagEncoder() : base("bag")
        {
            embedding = nn.Embedding(32, 4);
            dropout = nn.Dropout(0.5);
            RegisterComponents();
        }

        public int OutputDim => 4;
        public int MaxLength => 16;
        public nn.Module Module => this;
        public Tensor Encode(Tensor inputIds, Tensor attentionMask) => forward(inputIds, attentionMask);

        public override Tensor forward(Tensor ids, Tensor mask)
        {
            var m = mask.to_type(ScalarType.Float32).unsqueeze(-1);
            return (dropout.forward(embedding.forward(ids)) * m).sum(dim: 1L) / m.sum(dim: 1L);
        }
    }

    private static TokenizedTexts Tokenize(IReadOnlyList<string> texts)
    {
        var tokens = texts.Select(t => t.Split(' ').Select(w => (long)(w.Length % 31 + 1)).ToArray()).ToArray();
        int len = tokens.Max(t => t.Length);
        var ids = new long[texts.Count * len];
        var mask = new long[texts.Count * len];
        for (int i = 0; i < tokens.Length; i++)
            for (int k = 0; k < tokens[i].Length; k++) { ids[i * len + k] = tokens[i][k]; mask[i * len + k] = 1; }
        return new TokenizedTexts(ids, mask, len);
    }

    [Fact]
    public void Embed_BatchesInEvalMode_MatchesOneByOneAndRestoresTrainingFlag()
    {
        torch.manual_seed(1);
        var bag = new BagEncoder();
        bag.train();
        using var embedder = new TextEncoderEmbedder(bag, Tokenize, batchSize: 2);
        string[] texts = ["sinus rhythm", "Atrial   FIBRILLATION", "left bundle branch block", "normal ecg", "sinus rhythm"];

        var all = embedder.Embed(texts);

        Assert.Equal((5, 4), (all.Rows, all.Columns));
        Assert.True(bag.training, "training flag restored");
        Assert.Equal(all.Row(0).ToArray(), all.Row(4).ToArray()); // eval mode: no dropout noise
        for (int i = 0; i < texts.Length; i++)
            Assert.Equal(embedder.Embed([texts[i]]).Row(0).ToArray(), all.Row(i).ToArray()); // padding is masked out
        Assert.Equal("atrial fibrillation", embedder.Normalize(texts[1]));
    }
}
