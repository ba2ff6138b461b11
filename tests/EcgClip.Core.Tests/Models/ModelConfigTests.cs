using EcgClip.Core.Models;
using EcgClip.Core.Tests.Training;

namespace EcgClip.Core.Tests.Models;

public sealed class ModelConfigTests
{
    [Fact]
    public void The_default_configuration_round_trips_through_json()
    {
        var config = ModelConfig.CreateDefault(new EcgClip.Core.Encoders.ModelCatalog().Get("resnet34"), "merl", 100);
        Assert.Empty(config.Validate());
        Assert.Equal(2, config.EcgViews);
        string json = config.ToJson();
        Assert.Contains("\"embeddingDim\": 256", json, StringComparison.Ordinal);
        Assert.Contains("\"samplingRateHz\": 100", json, StringComparison.Ordinal);
        var back = ModelConfig.FromJson(json, "config.json");
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void A_width_mismatch_names_the_field()
    {
        var config = TinyTraining.Config() with { EmbeddingDim = 32 };
        var ex = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson(config.ToJson(), "/run/config.json"));
        Assert.Equal("/run/config.json", ex.File);
        Assert.Contains(ex.Problems, p => p.StartsWith("embeddingDim:", StringComparison.Ordinal) && p.Contains("16", StringComparison.Ordinal));
    }

    [Fact]
    public void A_hand_edited_file_names_the_file_and_the_field()
    {
        string json = TinyTraining.Config().ToJson().Replace("\"sampleLength\": 64", "\"sampleLength\": \"long\"", StringComparison.Ordinal);
        var ex = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson(json, "/ckpt/config.json"));
        Assert.StartsWith("/ckpt/config.json: invalid model configuration: sampleLength:", ex.Message, StringComparison.Ordinal);
        var vocab = Assert.Throws<ModelConfigException>(() => (TinyTraining.Config() with { Text = new TextTowerSpec { Vocabulary = "/abs/vocab.txt" } }).ThrowIfInvalid("c.json"));
        Assert.Contains(vocab.Problems, p => p.StartsWith("text.vocabulary:", StringComparison.Ordinal));
        Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("{ not json", "x.json"));
    }

    [Fact]
    public void Merl_without_two_views_is_refused()
    {
        var ex = Assert.Throws<ModelConfigException>(() => (TinyTraining.Config("merl") with { EcgViews = 1 }).ThrowIfInvalid());
        Assert.Contains(ex.Problems, p => p.StartsWith("ecgViews:", StringComparison.Ordinal));
    }
}
