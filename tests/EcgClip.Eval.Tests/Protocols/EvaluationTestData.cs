using EcgClip.Core.Encoders;
using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;
using EcgClip.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Protocols;

/// <summary>Tiny models and the embedded PTB-XL subset for the orchestration tests.</summary>
internal static class EvaluationTestData
{
    public static EncoderConfig TinyConfig { get; } = new() { Name = "tiny", Layers = [1], Widths = [8], EmbeddingDim = 6 };

    public static EvaluationModel TinyModel(int seed = 3, string name = "random")
    {
        torch.manual_seed(seed);
        return new EvaluationModel(name, new ResNetEcgEncoder(TinyConfig), null, null, $"tiny:{seed}:{Guid.NewGuid():N}");
    }

    public static IEcgTextDataset Embedded(PtbXlLabelSet labels = PtbXlLabelSet.Superdiagnostic) =>
        EmbeddedPtbXl.Load(TestPaths.EmbeddedData, new PtbXlOptions { LabelSet = labels });

    public static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    public static bool BitIdentical(Dictionary<string, Tensor> before, nn.Module module)
    {
        var now = module.state_dict();
        return before.Count == now.Count && before.All(kv => now.ContainsKey(kv.Key) && kv.Value.shape.SequenceEqual(now[kv.Key].shape)
            && kv.Value.dtype == now[kv.Key].dtype && kv.Value.eq(now[kv.Key]).all().item<bool>());
    }
}

/// <summary>A dataset whose test items carry other labels (every item's label set replaced by a function), same signals.</summary>
internal sealed class RelabelledTestDataset(IEcgTextDataset inner, Func<EcgTextItem, IReadOnlyList<string>> labels) : IEcgTextDataset
{
    private readonly EcgTextItem[] _items = inner.Items.Select(i => i.Split == DatasetSplit.Test ? i with { Labels = labels(i) } : i).ToArray();

    public string Name => inner.Name;
    public LabelSpace LabelSpace => inner.LabelSpace;
    public IReadOnlyList<EcgTextItem> Items => _items;
    public IReadOnlyList<SkippedRecord> Skipped => inner.Skipped;
    public double? SamplingRate => inner.SamplingRate;
    public EcgRecord LoadRecord(EcgTextItem item) => inner.LoadRecord(item);
}
