using EcgClip.Eval.Protocols;
using EcgClip.Eval.Tests.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class EvaluationModelSourceTests
{
    public EvaluationModelSourceTests() => EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    private static ServiceProvider Services(long seed) => new ServiceCollection()
        .AddEcgClip(o => { o.Device = "cpu"; o.Seed = seed; o.Threads = 2; })
        .AddEcgClipEval()
        .BuildServiceProvider();

    private static float[] FirstWeights(EvaluationModel m) =>
        m.Encoder.Module.parameters().First().data<float>().ToArray();

    [Fact]
    public void Load_None_SeededRandomInitialisationOfBackbone()
    {
        using var s0 = Services(0);
        using var s1 = Services(1);
        using var a = s0.GetRequiredService<IEvaluationModelSource>().Load(new EvaluationModelRequest("none", "resnet18", 0));
        using var b = s0.GetRequiredService<IEvaluationModelSource>().Load(new EvaluationModelRequest(null, "resnet18", 0));
        using var c = s1.GetRequiredService<IEvaluationModelSource>().Load(new EvaluationModelRequest("none", "resnet18", 1));
        Assert.Equal("random", a.Name);
        Assert.Null(a.Text);
        Assert.Null(a.Preprocessing);
        Assert.Equal(256, a.Encoder.OutputDim);
        Assert.Equal(FirstWeights(a), FirstWeights(b));
        Assert.NotEqual(FirstWeights(a), FirstWeights(c));
    }

    [Fact]
    public void Load_UnknownBackbone_ThrowsListingKnown()
    {
        using var s = Services(0);
        var ex = Assert.ThrowsAny<ArgumentException>(() => s.GetRequiredService<IEvaluationModelSource>().Load(new EvaluationModelRequest("none", "vit")));
        Assert.Contains("resnet34", ex.Message);
    }

    [Fact]
    public void Load_CheckpointFolderWithoutLoader_ThrowsCheckpointLoadingUnavailable()
    {
        using var s = Services(0);
        using var dir = new TempFolder();
        var source = new EvaluationModelSource(s.GetRequiredService<EcgClip.Core.Hosting.IEcgEncoderProvider>(), []);
        var ex = Assert.Throws<CheckpointLoadingUnavailableException>(() => source.Load(new EvaluationModelRequest(dir.Path)));
        Assert.Contains(dir.Path, ex.Message);
        Assert.Contains("trainer", ex.Message);
    }

    [Fact]
    public void Load_MissingCheckpointFolder_ThrowsDirectoryNotFoundNamingIt()
    {
        using var s = Services(0);
        var ex = Assert.Throws<DirectoryNotFoundException>(() => s.GetRequiredService<IEvaluationModelSource>().Load(new EvaluationModelRequest("/nonexistent/ckpt")));
        Assert.Contains("/nonexistent/ckpt", ex.Message);
    }

    [Fact]
    public void Load_CheckpointFolderWithRegisteredLoader_UsesIt()
    {
        using var dir = new TempFolder();
        using var s = new ServiceCollection()
            .AddEcgClip(o => o.Device = "cpu")
            .AddSingleton<ICheckpointModelLoader>(new DelegateLoader(d => EvaluationTestData.TinyModel(name: "ckpt:" + Path.GetFileName(d))))
            .AddEcgClipEval()
            .BuildServiceProvider();
        using var m = s.GetRequiredService<IEvaluationModelSource>().Load(new EvaluationModelRequest(dir.Path));
        Assert.Equal("ckpt:" + Path.GetFileName(dir.Path), m.Name);
    }

    private sealed class DelegateLoader(Func<string, EvaluationModel> load) : ICheckpointModelLoader
    {
        public EvaluationModel Load(string directory) => load(directory);
    }
}
