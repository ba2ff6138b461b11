using EcgClip.Core.Abstractions;
using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using Microsoft.Extensions.DependencyInjection;

namespace EcgClip.Core.Tests.Objectives;

public sealed class ObjectiveRegistryTests
{
    public ObjectiveRegistryTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void Get_UnknownName_ThrowsListingKnownNames()
    {
        var ex = Assert.Throws<UnknownObjectiveException>(() => ObjectiveRegistry.CreateBuiltIn().Get("infonce"));
        Assert.Contains("'infonce'", ex.Message);
        Assert.Equal(["clip", "merl", "siglip"], ex.Known);
        Assert.Contains("clip, merl, siglip", ex.Message);
    }

    [Theory]
    [InlineData("clip", typeof(ClipObjective))]
    [InlineData("SigLIP", typeof(SigLipObjective))]
    [InlineData(" merl ", typeof(MerlObjective))]
    public void Create_BuiltInName_ReturnsThatObjective(string name, Type expected)
    {
        using var objective = ObjectiveRegistry.CreateBuiltIn().Create(new ObjectiveOptions { Name = name });
        Assert.IsType(expected, objective);
        Assert.Equal(name.Trim().ToLowerInvariant(), objective.Name);
    }

    [Fact]
    public void AddEcgClipObjectives_Container_ResolvesKeyedFactoriesAndRegistry()
    {
        using var provider = new ServiceCollection().AddEcgClipObjectives().AddEcgClipObjectives().BuildServiceProvider();
        var registry = provider.GetRequiredService<ObjectiveRegistry>();
        Assert.Equal(["clip", "merl", "siglip"], registry.List());
        Assert.Equal("siglip", provider.GetRequiredKeyedService<IContrastiveObjectiveFactory>("siglip").Name);
        Assert.Throws<UnknownObjectiveException>(() => registry.Get("nope"));
    }

    [Fact]
    public void AddEcgClipObjectives_EarlierAppRegistration_Wins()
    {
        var custom = new ContrastiveObjectiveFactory("clip", o => new ClipObjective(o with { Temperature = 0.5 }));
        using var provider = new ServiceCollection()
            .AddEcgClipObjective("clip", _ => custom)
            .AddEcgClipObjective("mine", _ => new ContrastiveObjectiveFactory("mine", o => new SigLipObjective(o)))
            .AddEcgClipObjectives()
            .BuildServiceProvider();
        var registry = provider.GetRequiredService<ObjectiveRegistry>();
        Assert.Equal(["clip", "merl", "mine", "siglip"], registry.List());
        Assert.Same(custom, registry.Get("CLIP"));
        using var objective = (ClipObjective)registry.Create(new ObjectiveOptions());
        Assert.Equal(2.0, objective.Scale, 5);
    }

    [Fact]
    public void Options_JsonRoundTrip_CamelCaseAndResolvedDefaults()
    {
        var resolved = new ObjectiveOptions { Name = "SigLIP" }.Resolve();
        string json = resolved.ToJson();
        Assert.Contains("\"name\": \"siglip\"", json);
        Assert.Contains("\"temperature\": 0.1", json);
        Assert.Contains("\"bias\": -10", json);
        Assert.Contains("\"sharedPositives\": true", json);
        Assert.Equal(resolved, ObjectiveOptions.FromJson(json, "config.json"));
        Assert.Equal(new ObjectiveOptions { Name = "merl", Temperature = 0.07, LearnableScale = false }, new ObjectiveOptions { Name = "merl" }.Resolve());
        Assert.Equal(new ObjectiveOptions { Name = "clip", Temperature = 0.07, LearnableScale = true }, new ObjectiveOptions().Resolve());
    }

    [Fact]
    public void Options_FromJsonInvalid_ThrowsNamingSourceAndField()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ObjectiveOptions.FromJson("""{"name":"clip","temperature":-1}""", "ckpt/config.json"));
        Assert.Contains("ckpt/config.json", ex.Message);
        Assert.Contains("temperature", ex.Message);
        Assert.Throws<InvalidDataException>(() => ObjectiveOptions.FromJson("{\"name\":", "x.json"));
        var typo = Assert.Throws<InvalidDataException>(() => ObjectiveOptions.FromJson("""{"name":"clip","temprature":0.1}""", "y.json"));
        Assert.Contains("temprature", typo.Message);
    }
}
