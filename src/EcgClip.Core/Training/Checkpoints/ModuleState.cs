using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Training.Checkpoints;

/// <summary>
/// A module's state dict (parameters and buffers, e.g. BatchNorm running statistics and <c>num_batches_tracked</c>) as
/// safetensors, in state-dict order and each tensor's own dtype, plus a weights fingerprint.
/// </summary>
public static class ModuleState
{
    /// <summary>Writes every entry of <paramref name="module"/>'s state dict to <paramref name="path"/>.</summary>
    public static void Save(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var sd = module.state_dict();
        CheckpointTensors.Save(path, sd.Select(kv => (kv.Key, kv.Value)));
    }

    /// <summary>
    /// Copies the tensors of <paramref name="path"/> into <paramref name="module"/>'s state dict in place (cast to each
    /// entry's dtype and device). With <paramref name="strict"/>, missing and unexpected names fail; mis-shaped ones always
    /// do. All problems are listed in one exception, and nothing is copied when there is any.
    /// </summary>
    /// <exception cref="CheckpointFormatException">Unreadable file, or names missing / unexpected / mis-shaped.</exception>
    public static void Load(nn.Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var loaded = CheckpointTensors.Load(path);
        try
        {
            var target = module.state_dict();
            var problems = new List<string>();
            var missing = target.Keys.Where(k => !loaded.ContainsKey(k)).ToList();
            var unexpected = loaded.Keys.Where(k => !target.ContainsKey(k)).ToList();
            var misShaped = target.Where(kv => loaded.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
                                  .Select(kv => $"{kv.Key} (checkpoint [{string.Join(", ", loaded[kv.Key].shape)}], module [{string.Join(", ", kv.Value.shape)}])")
                                  .ToList();
            if (strict && missing.Count > 0) problems.Add($"missing: {string.Join(", ", missing)}");
            if (strict && unexpected.Count > 0) problems.Add($"unexpected: {string.Join(", ", unexpected)}");
            if (misShaped.Count > 0) problems.Add($"mis-shaped: {string.Join(", ", misShaped)}");
            if (problems.Count > 0) throw new CheckpointFormatException(path, "state dict does not fit the module; " + string.Join("; ", problems));
            using var noGrad = no_grad();
            foreach (var (name, dst) in target)
            {
                if (!loaded.TryGetValue(name, out var src)) continue;
                dst.copy_(src);
            }
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Lower-case hex SHA-256 over the module's parameters in state-dict order: per parameter its UTF-8 name, dtype,
    /// shape and raw bytes (each length-prefixed). Equal iff the parameters (names, dtypes, shapes, bits) are equal;
    /// buffers are not included.
    /// </summary>
    public static string Sha256(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> word = stackalloc byte[8];
        foreach (var (name, p) in module.named_parameters())
        {
            AppendBlock(sha, Encoding.UTF8.GetBytes(name), word);
            AppendBlock(sha, Encoding.UTF8.GetBytes(p.dtype.ToString()), word);
            BinaryPrimitives.WriteInt64LittleEndian(word, p.shape.Length);
            sha.AppendData(word);
            foreach (long d in p.shape)
            {
                BinaryPrimitives.WriteInt64LittleEndian(word, d);
                sha.AppendData(word);
            }
            AppendBlock(sha, CheckpointTensors.RawBytes(p), word);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void AppendBlock(IncrementalHash sha, byte[] data, Span<byte> word)
    {
        BinaryPrimitives.WriteInt64LittleEndian(word, data.Length);
        sha.AppendData(word);
        sha.AppendData(data);
    }
}
