using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Distributed;

/// <summary>
/// SHA-256 over a module's parameters (name, dtype, shape and raw bytes, in <c>named_parameters</c> order): equal digests
/// on all ranks mean bit-identical parameters. Printed per rank after each step in the 2-rank checks, and checked
/// across ranks by <see cref="ThrowIfDiverged"/>.
/// </summary>
public static class ParameterDigest
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="module"/>'s parameters (and, with <paramref name="includeBuffers"/>, its buffers).</summary>
    public static string Compute(nn.Module module, bool includeBuffers = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        var tensors = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter));
        if (includeBuffers) tensors = tensors.Concat(module.named_buffers().Select(b => (b.name, b.buffer)));
        return Compute(tensors);
    }

    /// <summary>Lower-case hex SHA-256 of named tensors, in the order given.</summary>
    public static string Compute(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in tensors)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}|{tensor.dtype}|{string.Join(',', tensor.shape)}|"));
            var data = tensor.detach().cpu().contiguous();
            hash.AppendData(TensorBuffer.Bytes(data));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Gathers every rank's digest of <paramref name="module"/> and throws <see cref="DistributedException"/> naming the
    /// ranks whose parameters differ from rank 0's. Returns this rank's digest.
    /// </summary>
    public static string ThrowIfDiverged(IDistributedBackend backend, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(backend);
        string digest = Compute(module);
        using var mine = tensor(Convert.FromHexString(digest), ScalarType.Byte);
        using var all = backend.AllGather(mine);
        var bytes = TensorBuffer.Bytes(all).ToArray();
        var digests = Enumerable.Range(0, backend.WorldSize).Select(r => Convert.ToHexStringLower(bytes, r * 32, 32)).ToArray();
        var diverged = Enumerable.Range(1, backend.WorldSize - 1).Where(r => digests[r] != digests[0]).ToArray();
        if (diverged.Length > 0)
            throw new DistributedException($"parameters diverged between ranks: rank 0 has {digests[0][..16]}…, rank(s) {string.Join(", ", diverged.Select(r => $"{r} ({digests[r][..16]}…)"))}");
        return digest;
    }
}
