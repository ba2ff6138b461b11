using EcgClip.Core.Encoders;
using EcgClip.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Hosting;

[Collection(EcgClip.Core.Tests.Training.GlobalRngCollection.Name)] // CreateEncoder_SameSeed_SameWeights seeds the default generator
public sealed class AddEcgClipTests
{
    private static ServiceProvider Build(Action<EcgClipOptions> configure) =>
        new ServiceCollection().AddEcgClip(configure).BuildServiceProvider();

    [Theory]
    [InlineData("resnet18", new[] { 2, 2, 2, 2 })]
    [InlineData("resnet34", new[] { 3, 4, 6, 3 })]
    public void CreateEncoder_BackboneByConfiguration_BuildsThatArchitecture(string backbone, int[] layers)
    {
        using var sp = Build(o => { o.Backbone = backbone; o.Device = "cpu"; o.EmbeddingDim = 128; });
        sp.ValidateEcgClipOptions();
        using var encoder = sp.GetRequiredService<IEcgEncoderProvider>().CreateEncoder();
        var resnet = Assert.IsType<ResNetEcgEncoder>(encoder);
        Assert.Equal(layers, resnet.Config.Layers);
        Assert.Equal(128, encoder.OutputDim);
        using var scope = NewDisposeScope();
        encoder.Module.eval();
        Assert.Equal([2L, 128L], encoder.Encode(randn(2, 12, 400)).shape);
    }

    [Fact]
    public void Validate_UnknownBackbone_ThrowsListingKnownNames()
    {
        using var sp = Build(o => o.Backbone = "resnet50");
        var ex = Assert.Throws<OptionsValidationException>(() => sp.ValidateEcgClipOptions());
        Assert.Contains("resnet50", ex.Message);
        Assert.Contains("resnet18, resnet34", ex.Message);
    }

    [Fact]
    public void Validate_BadDevice_FailsAtStartUp()
    {
        using var sp = Build(o => o.Device = "tpu");
        Assert.Throws<OptionsValidationException>(() => sp.ValidateEcgClipOptions());
    }

    [Fact]
    public void KeyedFactory_ResolvesEachBackboneByName()
    {
        using var sp = Build(o => o.Device = "cpu");
        Assert.Equal("resnet34", sp.GetRequiredKeyedService<IEcgEncoderFactory>("resnet34").Name);
        Assert.Equal([3, 4, 6, 3], sp.GetRequiredKeyedService<IEcgEncoderFactory>("resnet34").Config.Layers);
        Assert.Equal(["resnet18", "resnet34"], sp.GetRequiredService<IEcgEncoderProvider>().Backbones);
    }

    [Fact]
    public void ConfigDirectories_AddCustomBackbone()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-configs-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tiny.json"), """{"name":"tiny","layers":[1,1],"widths":[8,16],"embeddingDim":8}""");
            using var sp = Build(o => { o.Backbone = "tiny"; o.ConfigDirectories.Add(dir); o.Device = "cpu"; });
            sp.ValidateEcgClipOptions();
            using var encoder = sp.GetRequiredService<IEcgEncoderProvider>().CreateEncoder();
            Assert.Equal(8, encoder.OutputDim);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void CreateEncoder_SameSeed_SameWeights()
    {
        using var sp = Build(o => { o.Device = "cpu"; o.Seed = 3; });
        var provider = sp.GetRequiredService<IEcgEncoderProvider>();
        using var a = provider.CreateEncoder();
        using var b = provider.CreateEncoder();
        using var scope = NewDisposeScope();
        var pa = a.Module.parameters().First();
        var pb = b.Module.parameters().First();
        Assert.True(pa.allclose(pb, 0, 0));
    }
}
