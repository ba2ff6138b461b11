using EcgClip.Core.Native;
using EcgClip.Core.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training.Checkpoints;

[Collection(GlobalRngCollection.Name)]
public sealed class ModuleStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-module-").FullName;

    public ModuleStateTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void TrainForward(TinyModel m, int batches)
    {
        m.train();
        using var noGrad = no_grad();
        for (int i = 0; i < batches; i++)
        {
            using var scope = NewDisposeScope();
            m.forward(randn(4, 2, 16));
        }
    }

    [Fact]
    public void SaveLoad_CarriesParametersAndBuffers_BitExact()
    {
        using var a = new TinyModel(seed: 1);
        TrainForward(a, 3); // running stats and num_batches_tracked move
        using var b = new TinyModel(seed: 2);
        Assert.NotEqual(ModuleState.Sha256(a), ModuleState.Sha256(b));

        string path = Path.Combine(_dir, "model.safetensors");
        ModuleState.Save(a, path);
        ModuleState.Load(b, path);

        Assert.Equal(ModuleState.Sha256(a), ModuleState.Sha256(b));
        var sa = a.state_dict();
        var sb = b.state_dict();
        Assert.Equal(sa.Keys, sb.Keys);
        Assert.Contains("bn.num_batches_tracked", sa.Keys);
        Assert.Contains("bn.running_var", sa.Keys);
        Assert.Equal(3L, sb["bn.num_batches_tracked"].item<long>());
        foreach (var k in sa.Keys)
        {
            Assert.Equal(sa[k].dtype, sb[k].dtype);
            Assert.Equal(CheckpointTensors.RawBytes(sa[k]), CheckpointTensors.RawBytes(sb[k]));
        }
        Assert.Equal(sa.Keys, CheckpointTensors.Load(path).Keys); // state-dict order on disk
    }

    [Fact]
    public void Sha256_ChangesWithOneBitOfOneParameter()
    {
        using var a = new TinyModel(seed: 1);
        string before = ModuleState.Sha256(a);
        Assert.Equal(before, ModuleState.Sha256(a));
        var w = a.named_parameters().First(p => p.name == "fc.weight").parameter;
        using (no_grad())
        {
            using var cell = w[0, 0];
            float v = cell.item<float>();
            cell.fill_(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(v) ^ 1)); // flip the lowest mantissa bit
        }
        string after = ModuleState.Sha256(a);
        Assert.NotEqual(before, after);
        TrainForward(a, 1); // moves BatchNorm buffers only: the weights hash covers parameters
        Assert.Equal(after, ModuleState.Sha256(a));
    }

    [Fact]
    public void Load_Strict_ListsMissingUnexpectedAndMisShapedInOneError()
    {
        using var wide = new TinyModel(seed: 1, width: 6);
        string path = Path.Combine(_dir, "wide.safetensors");
        var sd = wide.state_dict();
        CheckpointTensors.Save(path, sd.Where(kv => kv.Key != "fc.bias").Select(kv => (kv.Key, kv.Value)).Append(("extra.weight", (Tensor)ones(2))));

        using var target = new TinyModel(seed: 2, width: 8);
        string hash = ModuleState.Sha256(target);
        var ex = Assert.Throws<CheckpointFormatException>(() => ModuleState.Load(target, path));
        Assert.Equal(path, ex.FilePath);
        Assert.Contains("missing: fc.bias", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected: extra.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("conv.weight (checkpoint [6, 2, 3], module [8, 2, 3])", ex.Message, StringComparison.Ordinal);
        Assert.Equal(hash, ModuleState.Sha256(target)); // nothing copied

        var lax = Assert.Throws<CheckpointFormatException>(() => ModuleState.Load(target, path, strict: false));
        Assert.DoesNotContain("missing", lax.Message, StringComparison.Ordinal);
        Assert.Contains("mis-shaped", lax.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NonStrict_LoadsTheNamesPresent()
    {
        using var a = new TinyModel(seed: 1);
        string path = Path.Combine(_dir, "part.safetensors");
        var w = a.state_dict()["fc.weight"];
        CheckpointTensors.Save(path, [("fc.weight", w), ("other", (Tensor)ones(1))]);
        using var b = new TinyModel(seed: 2);
        ModuleState.Load(b, path, strict: false);
        Assert.Equal(CheckpointTensors.RawBytes(w), CheckpointTensors.RawBytes(b.state_dict()["fc.weight"]));
        Assert.NotEqual(ModuleState.Sha256(a), ModuleState.Sha256(b));
    }
}
