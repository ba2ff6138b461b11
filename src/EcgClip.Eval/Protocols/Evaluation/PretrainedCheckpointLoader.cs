using EcgClip.Core.Models;
using Microsoft.Extensions.DependencyInjection;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Loads a pretraining checkpoint folder through <see cref="IEcgClipModelFactory.FromPretrained"/>: the ECG tower, the
/// preprocessing it was trained with, and the text tower with its tokenizer and report normaliser (for zero-shot and
/// retrieval). The model is named by its configuration (e.g. "resnet18-clip"); the bundle owns both towers. The factory is resolved on first use
/// (it needs the text package's tower builder, <c>AddEcgClipText</c>), so random initialisation works without it.
/// </summary>
internal sealed class PretrainedCheckpointLoader(IServiceProvider services) : ICheckpointModelLoader
{
    public EvaluationModel Load(string directory)
    {
        var bundle = services.GetRequiredService<IEcgClipModelFactory>().FromPretrained(directory);
        var batcher = bundle.Batcher;
        var text = new TextEncoderEmbedder(bundle.Model.TextEncoder, texts =>
        {
            var (ids, mask) = batcher.Tokenize(texts);
            using (ids)
            using (mask)
                return new TokenizedTexts(ids.data<long>().ToArray(), mask.data<long>().ToArray(), (int)ids.shape[1]);
        }, r => batcher.Normalize(r));
        return new EvaluationModel(bundle.Config.Name, bundle.Model.EcgEncoder, bundle.Config.Preprocessing, text, Path.GetFullPath(directory), owner: bundle);
    }
}
