using EcgClip.Text.Encoders.Bert;
using EcgClip.Text.Encoders.Transformer;
using EcgClip.Text.Hosting;

namespace EcgClip.Text.Tests.Encoders;

public sealed class TextEncoderFactoryTests
{
    [Fact]
    public void Create_TransformerWithVocab_SizesEmbeddingToVocabulary()
    {
        var config = new TextTowerConfig { VocabPath = TinyBertFixture.File("vocab.txt"), Tokenizer = new() { MaxLength = 64 }, Transformer = null };
        using var encoder = (TransformerTextEncoder)new TransformerTextEncoderFactory().Create(config);
        Assert.Equal(100, encoder.Config.VocabSize);
    }

    [Fact]
    public void Create_BertFromConfig_LoadsCheckpoint()
    {
        var config = new TextTowerConfig { Encoder = "bert", BertCheckpoint = TinyBertFixture.Directory, Bert = new() { FrozenLayers = 2 } };
        using var encoder = (BertTextEncoder)new BertTextEncoderFactory().Create(config);
        Assert.Equal(2, encoder.FrozenLayerCount);
        Assert.Equal(32, encoder.OutputDim);
    }

    [Fact]
    public void Create_BertWithoutCheckpoint_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new BertTextEncoderFactory().Create(new TextTowerConfig { Encoder = "bert" }));

    [Fact]
    public void TextTowerConfig_JsonRoundTrip_KeepsNestedConfigs()
    {
        var config = new TextTowerConfig
        {
            Encoder = "bert", VocabPath = "v.txt", BertCheckpoint = "ckpt",
            Bert = new() { Pooling = EcgClip.Text.Encoders.TextPooling.Mean, FrozenLayers = 6 },
            Tokenizer = new() { MaxLength = 256, StripAccents = true },
        };
        var back = TextTowerConfig.FromJson(config.ToJson());
        Assert.Equal(config.Bert, back.Bert);
        Assert.Equal(config.Tokenizer, back.Tokenizer);
        Assert.Equal("ckpt", back.BertCheckpoint);
        Assert.Contains("\"Mean\"", config.ToJson());
    }
}
