using EcgClip.Core.SafeTensors;
using EcgClip.Text.Encoders.Bert;

namespace EcgClip.Text.Tests.Training;

/// <summary>
/// Writes a tiny randomly initialised BERT folder as Hugging Face lays it out: <c>config.json</c>,
/// <c>model.safetensors</c> (HF <c>BertModel</c> names, no <c>bert.</c> prefix) and a character-level <c>vocab.txt</c>
/// (specials, a–z, 0–9, punctuation and their <c>##</c> continuations), so any report tokenises without training.
/// </summary>
internal static class TinyBertDirectory
{
    public static BertConfig Config { get; } = new()
    {
        VocabSize = 96, HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 64, MaxPositionEmbeddings = 64,
    };

    public static IReadOnlyList<string> Vocabulary { get; } = BuildVocabulary();

    /// <summary>Creates <paramref name="directory"/> with the three files; weights are drawn from a seeded generator.</summary>
    public static string Write(string directory, BertConfig? config = null)
    {
        config ??= Config;
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJson());
        File.WriteAllLines(Path.Combine(directory, "vocab.txt"), Vocabulary);
        using var encoder = BertTextEncoder.Create(config);
        var rng = new Random(1234);
        var tensors = new Dictionary<string, (float[] Values, long[] Shape)>(StringComparer.Ordinal);
        foreach (var (name, p) in encoder.Module.named_parameters())
        {
            if (!name.StartsWith("bert.", StringComparison.Ordinal)) continue;
            var values = new float[p.numel()];
            bool layerNormWeight = name.Contains("LayerNorm.weight", StringComparison.Ordinal);
            for (int i = 0; i < values.Length; i++) values[i] = layerNormWeight ? 1f + 0.1f * (float)(rng.NextDouble() - 0.5) : 0.2f * (float)(rng.NextDouble() - 0.5);
            tensors[name["bert.".Length..]] = (values, p.shape);
        }
        SafeTensorsWriter.WriteFloat32(Path.Combine(directory, "model.safetensors"), tensors);
        return directory;
    }

    private static List<string> BuildVocabulary()
    {
        var tokens = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        var chars = "abcdefghijklmnopqrstuvwxyz0123456789".Select(c => c.ToString()).ToList();
        tokens.AddRange(chars);
        tokens.AddRange(chars.Select(c => "##" + c));
        tokens.AddRange([".", ",", ";", ":", "-", "(", ")", "/", "%", "'", "!", "?", "&", "*", "="]);
        return tokens;
    }
}
