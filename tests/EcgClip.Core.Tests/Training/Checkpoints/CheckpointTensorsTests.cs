using EcgClip.Core.Native;
using EcgClip.Core.SafeTensors;
using EcgClip.Core.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training.Checkpoints;

public sealed class CheckpointTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-tensors-").FullName;

    public CheckpointTensorsTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RoundTrip_IsBitExact_InEachDtype_AndKeepsOrder()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var tensors = new (string, Tensor)[]
        {
            ("z.f32", randn(3, 4)),
            ("a.bf16", randn(5, 2).to(bfloat16)),
            ("m.i64", tensor(new long[] { long.MinValue, -1, 0, 7, long.MaxValue })),
            ("scalar.i64", tensor(42L)),
            ("nan.f32", tensor(new[] { float.NaN, float.NegativeInfinity, -0f, float.Epsilon })),
            ("f64", randn(2, 2, 2, dtype: float64)),
            ("mask", tensor(new[] { true, false, true })),
            ("empty", zeros(0, 3)),
            ("strided", arange(12f).reshape(3, 4).t()),
        };
        string path = Path.Combine(_dir, "t.safetensors");
        CheckpointTensors.Save(path, tensors);

        var loaded = CheckpointTensors.Load(path);
        Assert.Equal(tensors.Select(t => t.Item1), loaded.Keys);
        foreach (var (name, t) in tensors)
        {
            var l = loaded[name];
            Assert.Equal(t.dtype, l.dtype);
            Assert.Equal(t.shape, l.shape);
            Assert.Equal(CheckpointTensors.RawBytes(t), CheckpointTensors.RawBytes(l));
        }
        Assert.Equal(new float[] { 0, 4, 8, 1 }, loaded["strided"].data<float>().Take(4).ToArray());
        foreach (var l in loaded.Values) l.Dispose();
    }

    [Fact]
    public void Load_ReportsMissingAndCorruptFiles()
    {
        string missing = Path.Combine(_dir, "none.safetensors");
        Assert.Equal(missing, Assert.Throws<CheckpointFormatException>(() => CheckpointTensors.Load(missing)).FilePath);

        string bad = Path.Combine(_dir, "bad.safetensors");
        using (var t = ones(4)) CheckpointTensors.Save(bad, [("w", t)]);
        var bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, bytes[..^4]); // truncated data
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointTensors.Load(bad));
        Assert.Equal(bad, ex.FilePath);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_StreamsFromNativeStorage_WithoutAManagedCopyOfTheTensors()
    {
        // A checkpoint of a ResNet-18 is ≈40 MB; copying it through managed arrays grew the resident size of a long run
        // by that much per checkpoint (GC-committed memory kept until some later gen-2 collection).
        using var big = randn(4, 1024, 1024); // 16 MiB
        string path = Path.Combine(_dir, "big.safetensors");
        CheckpointTensors.Save(path, [("w", big)]); // warm-up: JIT, file-system buffers
        long before = GC.GetAllocatedBytesForCurrentThread();
        CheckpointTensors.Save(path, [("w", big)]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1 << 20, $"saving a 16 MiB tensor allocated {allocated} managed bytes");
        using var loaded = CheckpointTensors.Load(path)["w"];
        Assert.True(loaded.eq(big).all().item<bool>());
    }

    [Fact]
    public void Writer_RejectsDataOfAnotherLengthThanItsHeader()
    {
        string path = Path.Combine(_dir, "short.safetensors");
        var ex = Assert.Throws<InvalidOperationException>(() => SafeTensorsWriter.Write(path,
            [new SafeTensorLayout("w", SafeTensorDType.F32, [3])], (_, stream) => stream.Write(new byte[8])));
        Assert.Contains("'w' wrote 8 bytes, its header states 12", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_RejectsRepeatedNames()
    {
        using var a = ones(1);
        Assert.Throws<ArgumentException>(() => CheckpointTensors.Save(Path.Combine(_dir, "r.safetensors"), [("w", a), ("w", a)]));
    }
}
