using EcgClip.Core.SafeTensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Text.Encoders.Bert;

/// <summary>What <see cref="BertWeightLoader"/> did.</summary>
/// <param name="Loaded">Parameters copied from the file.</param>
/// <param name="Prefix">The prefix found on the file's names (<c>""</c> or <c>"bert."</c>).</param>
/// <param name="Unused">File tensors that are not <c>BertModel</c> parameters (e.g. <c>cls.predictions.*</c>, <c>embeddings.position_ids</c>).</param>
/// <param name="MissingPooler">The file has no pooler; pooler weights keep their initial values (allowed only without pooler pooling).</param>
public sealed record BertLoadReport(int Loaded, string Prefix, IReadOnlyList<string> Unused, bool MissingPooler);

/// <summary>Strictly loads Hugging Face <c>BertModel</c> weights from a safetensors file into a <see cref="BertModel"/>.</summary>
internal static class BertWeightLoader
{
    /// <summary>
    /// Copies every parameter. Names are matched with the optional <c>bert.</c> prefix, and old-style LayerNorm
    /// <c>gamma</c>/<c>beta</c> names are accepted. Missing or mis-shaped tensors throw one
    /// <see cref="InvalidDataException"/> listing all of them (a missing pooler is tolerated when
    /// <paramref name="allowMissingPooler"/>).
    /// </summary>
    public static BertLoadReport Load(BertModel model, SafeTensorsFile file, bool allowMissingPooler)
    {
        string prefix = file.Tensors.ContainsKey("bert.embeddings.word_embeddings.weight") ? "bert." : "";
        var parameters = model.named_parameters().ToList();
        var plan = new List<(Parameter Param, string Key)>();
        var missing = new List<string>();
        var misshaped = new List<string>();
        bool missingPooler = false;
        foreach (var (name, param) in parameters)
        {
            string? key = Resolve(file, prefix + name);
            if (key is null)
            {
                if (allowMissingPooler && name.StartsWith("pooler.", StringComparison.Ordinal)) { missingPooler = true; continue; }
                missing.Add(prefix + name);
                continue;
            }
            var info = file.Tensors[key];
            if (!info.Shape.SequenceEqual(param.shape))
            {
                misshaped.Add($"{key}: file {info.ShapeText}, model [{string.Join(", ", param.shape)}]");
                continue;
            }
            if (info.DType is not (SafeTensorDType.F32 or SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.F64))
            {
                misshaped.Add($"{key}: dtype {info.DType} is not floating point");
                continue;
            }
            plan.Add((param, key));
        }
        if (missing.Count > 0 || misshaped.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"{missing.Count} missing tensor(s): {string.Join(", ", missing)}");
            if (misshaped.Count > 0) parts.Add($"{misshaped.Count} mis-shaped tensor(s): {string.Join("; ", misshaped)}");
            throw new InvalidDataException($"{file.Path}: does not fit the BERT config ({string.Join(" | ", parts)})");
        }
        using (no_grad())
        {
            foreach (var (param, key) in plan)
            {
                using var source = file.ReadTensor(key);
                param.copy_(source);
            }
        }
        var used = new HashSet<string>(plan.Select(p => p.Key), StringComparer.Ordinal);
        var unused = file.Tensors.Keys.Where(k => !used.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        return new BertLoadReport(plan.Count, prefix, unused, missingPooler);
    }

    private static string? Resolve(SafeTensorsFile file, string key)
    {
        if (file.Tensors.ContainsKey(key)) return key;
        if (key.Contains("LayerNorm.", StringComparison.Ordinal))
        {
            string legacy = key.EndsWith(".weight", StringComparison.Ordinal) ? key[..^".weight".Length] + ".gamma"
                : key.EndsWith(".bias", StringComparison.Ordinal) ? key[..^".bias".Length] + ".beta" : key;
            if (file.Tensors.ContainsKey(legacy)) return legacy;
        }
        return null;
    }
}
