using EcgClip.Core.Models;
using EcgClip.Text.Encoders;
using EcgClip.Text.Training;

namespace EcgClip.Cli.Commands;

/// <summary><c>pretrain --text-tower transformer|bert:&lt;dir&gt; [--freeze-text-layers K] [--text-pooling cls|mean|pooler]</c> applied to a model configuration.</summary>
internal static class TextTowerOption
{
    /// <summary>
    /// The text tower of <paramref name="spec"/> replaced as the options ask: <c>transformer</c> (the default tower),
    /// or <c>bert:&lt;dir&gt;</c> with <paramref name="frozenLayers"/> (null = all layers) and <paramref name="pooling"/>.
    /// Without <paramref name="tower"/> the spec is kept, and the BERT-only options are refused.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown tower or pooling, or BERT-only options without a BERT tower.</exception>
    public static TextTowerSpec Apply(TextTowerSpec spec, string? tower, int? frozenLayers, string? pooling)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string? value = tower?.Trim();
        bool bert = value is not null && value.StartsWith("bert:", StringComparison.OrdinalIgnoreCase);
        if (!bert && (frozenLayers is not null || pooling is not null))
            throw new ArgumentException("--freeze-text-layers and --text-pooling need --text-tower bert:<dir>");
        if (value is null) return spec;
        if (value.Equals("transformer", StringComparison.OrdinalIgnoreCase))
        {
            if (!spec.Encoder.Equals("transformer", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--text-tower transformer: the configuration's text tower is '{spec.Encoder}'; leave --text-tower out to keep it");
            return spec;
        }
        if (!bert) throw new ArgumentException($"--text-tower must be transformer or bert:<dir>, got '{tower}'");
        string dir = value["bert:".Length..];
        if (string.IsNullOrWhiteSpace(dir)) throw new ArgumentException("--text-tower bert:<dir> needs the folder of a BERT (config.json, model.safetensors, vocab.txt)");
        if (frozenLayers is < 0) throw new ArgumentException($"--freeze-text-layers must be ≥ 0, got {frozenLayers}");
        var parsed = TextPooling.Cls;
        if (pooling is not null && !Enum.TryParse(pooling, ignoreCase: true, out parsed) || !Enum.IsDefined(parsed))
            throw new ArgumentException($"--text-pooling must be cls, mean or pooler, got '{pooling}'");
        return spec with
        {
            Encoder = BertTextTowerBuilder.Key,
            Options = BertTextTowerBuilder.ToOptionsJson(new BertTowerOptions { Path = dir, FrozenLayers = frozenLayers, Pooling = parsed }),
        };
    }
}
