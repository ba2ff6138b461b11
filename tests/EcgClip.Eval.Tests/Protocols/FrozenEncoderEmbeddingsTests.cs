using EcgClip.Core.Encoders;
using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class FrozenEncoderEmbeddingsTests
{
    private static ResNetEcgEncoder TinyEncoder()
    {
        torch.manual_seed(3);
        return new ResNetEcgEncoder(new EncoderConfig { Name = "tiny", Layers = [1], Widths = [8], EmbeddingDim = 4 });
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

    private static bool Identical(Dictionary<string, Tensor> a, nn.Module module)
    {
        var now = module.state_dict();
        return a.Count == now.Count && a.All(kv => kv.Value.shape.SequenceEqual(now[kv.Key].shape) && kv.Value.eq(now[kv.Key]).all().item<bool>());
    }

    [Fact]
    public void Compute_ThenLinearProbe_WeightsAndBatchNormStatisticsBitIdentical()
    {
        using var scope = NewDisposeScope();
        using var encoder = TinyEncoder();
        encoder.train(); // as left by a trainer: the helper must switch to eval itself
        var before = Snapshot(encoder);
        var batches = Enumerable.Range(0, 4).Select(b => { torch.manual_seed(10 + b); return torch.randn(16, 12, 200); }).ToArray();

        var embeddings = FrozenEncoderEmbeddings.Compute(encoder, batches);
        Assert.Equal((64, 4), (embeddings.Rows, embeddings.Columns));
        Assert.True(encoder.training, "training flag restored");
        Assert.True(Identical(before, encoder), "weights or BatchNorm buffers changed");

        // the probe reads only the arrays
        var labels = Enumerable.Range(0, 64).Select(i => (float)(embeddings.Row(i)[0] > 0 ? 1 : 0)).ToArray();
        var targets = ProbeTargets.Multilabel(labels, ["y"]);
        new LinearProbe().Fit(new ProbeSplit(DatasetSplit.Train, embeddings, targets), new ProbeSplit(DatasetSplit.Validation, embeddings, targets));
        Assert.True(Identical(before, encoder));

        // the same inputs give the same embeddings (eval mode: no batch statistics)
        var again = FrozenEncoderEmbeddings.Compute(encoder, batches.Reverse().ToArray());
        Assert.Equal(embeddings.Row(0).ToArray(), again.Row(48).ToArray());

        // control: a forward pass in training mode does move the running statistics, so the check above can fail
        using (torch.no_grad()) encoder.Encode(batches[0]);
        Assert.False(Identical(before, encoder));
    }
}
