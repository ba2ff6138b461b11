using System.Globalization;
using System.Text.RegularExpressions;
using EcgClip.Core.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Encoders;

/// <summary>
/// Loads a MERL / PyTorch <c>ResNet1d</c> <c>state_dict</c> saved as safetensors into a <see cref="ResNetEcgEncoder"/>,
/// by a fixed name mapping and with strict checking.
/// </summary>
/// <remarks>
/// <para>Name mapping (MERL <c>utils/resnet1d.py</c> and <c>utils/utils_builder.py</c> → EcgClip), with s, b from 1 and 0:</para>
/// <list type="table">
/// <item><term><c>conv1.weight</c>, <c>bn1.*</c></term><description><c>backbone.conv1.weight</c>, <c>backbone.bn1.*</c></description></item>
/// <item><term><c>layer{s}.{b}.{conv1,bn1,conv2,bn2}.*</c></term><description><c>backbone.stages.{s-1}.{b}.{conv1,bn1,conv2,bn2}.*</c></description></item>
/// <item><term><c>layer{s}.{b}.shortcut.{0,1}.*</c></term><description><c>backbone.stages.{s-1}.{b}.downsample.{0,1}.*</c></description></item>
/// <item><term><c>downconv.*</c>, <c>att_pool_head.*</c></term><description><c>pool.downconv.*</c>, <c>pool.*</c> (attention pooling only)</description></item>
/// <item><term><c>linear.*</c></term><description>ignored: MERL's ResNet classifier, unused by its forward pass</description></item>
/// </list>
/// <para>Backbone names may carry the prefix <c>ecg_encoder.</c> (MERL's <c>ECGCLIP</c> module), and any name the prefix
/// <c>module.</c> (DistributedDataParallel). Batch-norm entries are <c>weight</c>, <c>bias</c>, <c>running_mean</c>,
/// <c>running_var</c> and <c>num_batches_tracked</c>.</para>
/// <para>Strictness: every <c>backbone.*</c> entry (and every <c>pool.*</c> entry of an attention-pooling encoder) must be in
/// the file with the model's shape; every file entry must map, be ignored as above, or start with one of the caller's
/// <c>ignorePrefixes</c> (e.g. <c>lm_model.</c> for the text tower of a full MERL checkpoint). All violations are reported
/// together in a <see cref="StateDictMismatchException"/> and nothing is copied. The mean-pooling projection
/// (<c>projection.*</c>) has no MERL counterpart and keeps its initial values (listed in <see cref="MerlLoadReport.NotInFile"/>).</para>
/// </remarks>
public static partial class MerlStateDict
{
    /// <summary>The EcgClip name for a MERL state-dict name, or null when it does not map (ignored names included).</summary>
    public static string? MapName(string merlName)
    {
        ArgumentNullException.ThrowIfNull(merlName);
        string name = merlName.StartsWith("module.", StringComparison.Ordinal) ? merlName["module.".Length..] : merlName;
        if (name.StartsWith("downconv.", StringComparison.Ordinal)) return "pool." + name;
        if (name.StartsWith("att_pool_head.", StringComparison.Ordinal)) return "pool." + name["att_pool_head.".Length..];
        if (name.StartsWith("ecg_encoder.", StringComparison.Ordinal)) name = name["ecg_encoder.".Length..];
        if (name.StartsWith("conv1.", StringComparison.Ordinal) || name.StartsWith("bn1.", StringComparison.Ordinal)) return "backbone." + name;
        var m = LayerName().Match(name);
        if (!m.Success) return null;
        int stage = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - 1;
        string rest = m.Groups[3].Value;
        if (rest.StartsWith("shortcut.", StringComparison.Ordinal)) rest = "downsample." + rest["shortcut.".Length..];
        return $"backbone.stages.{stage}.{m.Groups[2].Value}.{rest}";
    }

    /// <summary>True for names the mapping deliberately skips (MERL's unused ResNet classifier <c>linear.*</c>).</summary>
    public static bool IsIgnored(string merlName) => IgnoredName().IsMatch(merlName);

    /// <summary>Loads <paramref name="path"/> into <paramref name="encoder"/> (see remarks for the mapping and the checks).</summary>
    /// <exception cref="StateDictMismatchException">Missing, unexpected or mis-shaped names (all listed); nothing is loaded.</exception>
    /// <exception cref="InvalidDataException">The file is not valid safetensors.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static MerlLoadReport Load(ResNetEcgEncoder encoder, string path, IReadOnlyCollection<string>? ignorePrefixes = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        using var file = SafeTensorsFile.Open(path);
        return Load(encoder, file, ignorePrefixes);
    }

    /// <summary>Loads an open safetensors file into <paramref name="encoder"/>.</summary>
    /// <exception cref="StateDictMismatchException">Missing, unexpected or mis-shaped names (all listed); nothing is loaded.</exception>
    public static MerlLoadReport Load(ResNetEcgEncoder encoder, SafeTensorsFile file, IReadOnlyCollection<string>? ignorePrefixes = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(file);
        var target = encoder.state_dict();
        var required = target.Keys.Where(k => k.StartsWith("backbone.", StringComparison.Ordinal) || k.StartsWith("pool.", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var plan = new List<(string File, string Model)>();
        var unexpected = new List<string>();
        var mismatched = new List<string>();
        var ignored = new List<string>();
        foreach (var (fileName, info) in file.Tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (IsIgnored(fileName) || (ignorePrefixes?.Any(p => fileName.StartsWith(p, StringComparison.Ordinal)) ?? false))
            {
                ignored.Add(fileName);
                continue;
            }
            string? modelName = MapName(fileName);
            if (modelName is null || !target.TryGetValue(modelName, out var t))
            {
                unexpected.Add(modelName is null ? fileName : $"{fileName} (→ {modelName}, not in this model)");
                continue;
            }
            if (!info.Shape.SequenceEqual(t.shape))
                mismatched.Add($"{fileName} → {modelName}: file {info.ShapeText} vs model [{string.Join(", ", t.shape)}]");
            plan.Add((fileName, modelName));
        }
        var loaded = plan.Select(p => p.Model).ToHashSet(StringComparer.Ordinal);
        var missing = required.Where(k => !loaded.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || mismatched.Count > 0)
            throw new StateDictMismatchException(file.Path, missing, unexpected, mismatched);

        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            foreach (var (fileName, modelName) in plan)
            {
                var destination = target[modelName];
                destination.copy_(file.ReadTensor(fileName).to(destination.dtype).to(destination.device));
            }
        }
        return new MerlLoadReport(
            plan.Select(p => p.Model).Order(StringComparer.Ordinal).ToList(),
            ignored,
            target.Keys.Where(k => !loaded.Contains(k)).Order(StringComparer.Ordinal).ToList());
    }

    [GeneratedRegex(@"^layer(\d+)\.(\d+)\.(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex LayerName();

    [GeneratedRegex(@"^(module\.)?(ecg_encoder\.)?linear\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex IgnoredName();
}

/// <summary>What <see cref="MerlStateDict.Load(ResNetEcgEncoder, string, IReadOnlyCollection{string}?)"/> did.</summary>
/// <param name="Loaded">Model entries (EcgClip names) copied from the file.</param>
/// <param name="Ignored">File entries skipped on purpose (MERL's unused classifier, caller's prefixes).</param>
/// <param name="NotInFile">Model entries outside MERL's scope that kept their values (e.g. <c>projection.*</c>).</param>
public sealed record MerlLoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Ignored, IReadOnlyList<string> NotInFile);
