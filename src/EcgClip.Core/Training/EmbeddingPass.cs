using EcgClip.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Training;

/// <summary>Embeds whole splits in evaluation mode without gradients (validation, test, zero-shot prompts).</summary>
internal static class EmbeddingPass
{
    public static (float[] Embeddings, List<Signal.Datasets.EcgTextItem> Items, List<string> Reports) Ecg(EcgClipModel model, PairedBatchLoader loader, CancellationToken ct)
    {
        var values = new List<float>();
        var items = new List<Signal.Datasets.EcgTextItem>();
        var reports = new List<string>();
        using var noGrad = no_grad();
        foreach (var batch in loader.Batches(0, 0, ct))
        {
            using var owned = batch;
            using var scope = NewDisposeScope();
            var x = batch.ViewTensor(0);
            values.AddRange(model.EncodeEcg(x).to(ScalarType.Float32).contiguous().data<float>().ToArray());
            items.AddRange(batch.Items);
            reports.AddRange(batch.NormalizedReports);
        }
        return ([.. values], items, reports);
    }

    public static float[] Texts(EcgClipModel model, IReportBatcher batcher, IReadOnlyList<string> texts, int chunk = 128)
    {
        var values = new List<float>(texts.Count * model.Config.EmbeddingDim);
        using var noGrad = no_grad();
        for (int start = 0; start < texts.Count; start += chunk)
        {
            using var scope = NewDisposeScope();
            var part = texts.Skip(start).Take(chunk).ToList();
            var (ids, mask) = batcher.Tokenize(part);
            values.AddRange(model.EncodeText(ids, mask).to(ScalarType.Float32).contiguous().data<float>().ToArray());
        }
        return [.. values];
    }
}
