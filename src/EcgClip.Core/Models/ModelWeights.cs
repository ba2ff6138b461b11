using System.Security.Cryptography;
using System.Runtime.InteropServices;
using EcgClip.Core.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Models;

/// <summary>
/// Saves and loads a module's whole state dict (parameters and buffers, in state-dict order) as safetensors, strictly,
/// and digests its parameters (the <c>weights_sha256</c> of a run).
/// </summary>
public static class ModelWeights
{
    /// <summary>Writes every state-dict entry of <paramref name="module"/> to <paramref name="path"/> (float32; integer buffers stored as float32 counts).</summary>
    public static void Save(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var tensors = new Dictionary<string, (float[] Values, long[] Shape)>(StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        foreach (var (name, t) in module.state_dict())
            tensors[name] = (t.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray(), t.shape);
        SafeTensorsWriter.WriteFloat32(path, tensors);
    }

    /// <summary>Loads <paramref name="path"/> into <paramref name="module"/>: every name must be present with the same shape, and no extra name.</summary>
    /// <exception cref="InvalidDataException">Missing, unexpected or mis-shaped entries (all listed), naming the file.</exception>
    public static void Load(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var file = SafeTensorsFile.Open(path);
        var state = module.state_dict();
        var problems = new List<string>();
        foreach (var (name, t) in state)
        {
            if (!file.Tensors.TryGetValue(name, out var info)) problems.Add($"missing '{name}'");
            else if (!info.Shape.SequenceEqual(t.shape)) problems.Add($"'{name}' has shape {info.ShapeText}, the model needs [{string.Join(", ", t.shape)}]");
        }
        foreach (var name in file.Tensors.Keys) if (!state.ContainsKey(name)) problems.Add($"unexpected '{name}'");
        if (problems.Count > 0) throw new InvalidDataException($"{path}: weights do not match the model: {string.Join("; ", problems)}");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (name, t) in state)
        {
            using var value = file.ReadTensor(name);
            t.copy_(value.to(t.dtype).to(t.device));
        }
    }

    /// <summary>SHA-256 (lower-case hex) of all parameters in state-dict order: each name, its shape and its float32 little-endian bytes.</summary>
    public static string Sha256(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var scope = NewDisposeScope();
        foreach (var (name, p) in module.named_parameters())
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "[" + string.Join(",", p.shape) + "]"));
            var values = p.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
            hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
