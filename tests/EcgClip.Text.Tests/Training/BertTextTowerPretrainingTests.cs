using System.Text.Json;
using EcgClip.Core.Encoders;
using EcgClip.Core.Models;
using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using EcgClip.Core.Training;
using EcgClip.Core.Training.Optimization;
using EcgClip.Signal.Dsp.Preprocessing;
using EcgClip.Text.Encoders;
using EcgClip.Text.Encoders.Bert;
using EcgClip.Text.Tokenization;
using EcgClip.Text.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Text.Tests.Training;

/// <summary>Pretraining with the <c>"bert"</c> text tower: freezing, the frozen-feature cache and standalone checkpoints.</summary>
public sealed class BertTextTowerPretrainingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ecgclip-bert-tower-" + Guid.NewGuid().ToString("N"));
    private readonly string _bert;

    public BertTextTowerPretrainingTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        _bert = TinyBertDirectory.Write(Path.Combine(_root, "tiny-bert"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    internal static ModelConfig Config(string bertPath, int? frozenLayers, TextPooling pooling = TextPooling.Cls) => new()
    {
        Name = "tiny-bert",
        Ecg = new EncoderConfig { Name = "tiny", Layers = [1, 1], Widths = [8, 16], EmbeddingDim = 16 },
        Text = new TextTowerSpec
        {
            Encoder = "bert",
            Options = BertTextTowerBuilder.ToOptionsJson(new BertTowerOptions { Path = bertPath, FrozenLayers = frozenLayers, Pooling = pooling }),
            MaxTokens = 48,
        },
        EmbeddingDim = 16,
        Objective = new ObjectiveOptions { Name = "clip" },
        Preprocessing = new PreprocessingConfig { SamplingRateHz = 100, Normalization = NormalizationMethod.ZScore },
        SampleLength = 64,
        SamplingRate = 100,
    };

    internal static EcgClipModelFactory Factory() => new(new ModelCatalog(), new TextTowerBuilder(), ObjectiveRegistry.CreateBuiltIn());

    private static Dictionary<string, float[]> Snapshot(nn.Module module, string prefix) =>
        module.named_parameters().Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal))
              .ToDictionary(p => p.name, p => p.parameter.detach().cpu().contiguous().data<float>().ToArray());

    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    [Fact]
    public void Fully_frozen_bert_trains_only_the_projection_and_runs_each_distinct_report_through_bert_once_over_three_epochs()
    {
        var data = new SyntheticPairs(train: 40);
        var split = TrainingData.FromSplits(data);
        // A relative path is resolved against the current directory at creation.
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, _bert);
        using var bundle = Factory().Create(Config(relative, frozenLayers: null), split.Train.Select(i => i.Report).ToList(), seed: 3);
        var encoder = Assert.IsType<BertTextEncoder>(bundle.Model.TextEncoder);
        Assert.Equal(2, encoder.FrozenLayerCount);
        Assert.NotNull(encoder.FeatureCache);
        Assert.All(bundle.Model.named_parameters().Where(p => p.name.StartsWith("text.bert.", StringComparison.Ordinal)),
            p => Assert.False(p.parameter.requires_grad, p.name)); // cls pooling: the unused pooler is frozen too
        using (var groups = AdamWParameterGroups.Create(bundle.Model, 1e-3, 0.05))
        {
            var optimised = groups.Decay.Concat(groups.NoDecay).ToList();
            Assert.DoesNotContain(optimised, n => n.StartsWith("text.bert.", StringComparison.Ordinal));
            Assert.Contains("text.projection.weight", optimised);
        }
        var bertBefore = Snapshot(bundle.Model, "text.bert.");
        var projectionBefore = Snapshot(bundle.Model, "text.projection.");

        var summary = new Trainer().Run(bundle, split, new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, "run"), Epochs = 3, BatchSize = 8, LearningRate = 1e-2, Workers = 1, Seed = 3,
        });

        Assert.Equal(15, summary.Steps); // 40 pairs / 8 = 5 steps per epoch
        Assert.True(double.IsFinite(summary.LossFirst) && double.IsFinite(summary.LossLast), $"loss {summary.LossFirst} → {summary.LossLast}");
        foreach (var (name, before) in bertBefore) Assert.True(before.SequenceEqual(Snapshot(bundle.Model, name)[name]), $"{name} changed");
        Assert.False(projectionBefore["text.projection.weight"].SequenceEqual(Snapshot(bundle.Model, "text.projection.")["text.projection.weight"]), "the projection did not train");

        int distinct = split.Train.Select(i => bundle.Batcher.Normalize(i.Report)).Distinct(StringComparer.Ordinal).Count();
        Assert.Equal(SyntheticPairs.Reports.Length, distinct);
        var cache = encoder.FeatureCache!;
        Assert.Equal(distinct, cache.RowsEncoded); // 120 report rows seen, each distinct report encoded once
        Assert.Equal(distinct, cache.Count);
        Assert.Equal(15 * 8, cache.Hits + cache.Misses);
        Assert.True(cache.Hits >= 15 * 8 - 5 * 8, $"hits {cache.Hits}"); // misses only in the (at most 5) batches that bring a new report
    }

    [Fact]
    public void A_checkpoint_reloads_without_the_bert_folder_and_reproduces_the_text_embeddings_exactly()
    {
        var data = new SyntheticPairs(train: 24);
        var split = TrainingData.FromSplits(data);
        using var bundle = Factory().Create(Config(_bert, frozenLayers: 1, TextPooling.Mean), split.Train.Select(i => i.Report).ToList(), seed: 5);
        var summary = new Trainer().Run(bundle, split, new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, "run"), Steps = 3, BatchSize = 8, LearningRate = 1e-2, Workers = 1, Seed = 5,
        });
        string checkpoint = summary.LastCheckpoint!;
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer.json", BertTextTowerBuilder.ConfigFileName })
            Assert.True(File.Exists(Path.Combine(checkpoint, file)), file);
        Assert.Equal(File.ReadAllLines(Path.Combine(_bert, "vocab.txt")), File.ReadAllLines(Path.Combine(checkpoint, "vocab.txt")));
        var weights = EcgClip.Core.SafeTensors.SafeTensorsFile.Open(Path.Combine(checkpoint, "model.safetensors"));
        using (weights) Assert.Contains("text.bert.encoder.layer.1.output.dense.weight", weights.Tensors.Keys);

        Directory.Delete(_bert, recursive: true);
        string[] reports = [.. SyntheticPairs.Reports, "a report never seen in training: qt 480 ms"];
        bundle.Model.eval();
        using var scope = NewDisposeScope();
        var (ids, mask) = bundle.Batcher.Tokenize(reports);
        var expected = Values(bundle.Model.EncodeText(ids, mask));
        using var reloaded = Factory().FromPretrained(checkpoint);
        var reloadedEncoder = Assert.IsType<BertTextEncoder>(reloaded.Model.TextEncoder);
        Assert.Equal(1, reloadedEncoder.FrozenLayerCount);
        Assert.Equal(TextPooling.Mean, reloadedEncoder.Options.Pooling);
        var (ids2, mask2) = reloaded.Batcher.Tokenize(reports);
        Assert.Equal(Values(ids.to_type(ScalarType.Float32)), Values(ids2.to_type(ScalarType.Float32)));
        Assert.Equal(expected, Values(reloaded.Model.EncodeText(ids2, mask2)));
    }

    [Fact]
    public void Partially_frozen_bert_keeps_embeddings_and_the_first_layer_bit_exact_and_in_eval_mode_while_the_rest_trains()
    {
        var data = new SyntheticPairs(train: 16);
        var split = TrainingData.FromSplits(data);
        using var bundle = Factory().Create(Config(_bert, frozenLayers: 1), split.Train.Select(i => i.Report).ToList(), seed: 7);
        var encoder = Assert.IsType<BertTextEncoder>(bundle.Model.TextEncoder);
        Assert.Null(encoder.FeatureCache); // no cache unless the whole body is frozen
        string[] frozenPrefixes = ["text.bert.embeddings.", "text.bert.encoder.layer.0."];
        using (var groups = AdamWParameterGroups.Create(bundle.Model, 1e-3, 0.05))
        {
            var optimised = groups.Decay.Concat(groups.NoDecay).ToList();
            Assert.DoesNotContain(optimised, n => frozenPrefixes.Any(f => n.StartsWith(f, StringComparison.Ordinal)));
            Assert.Contains("text.bert.encoder.layer.1.output.dense.weight", optimised);
        }
        bundle.Model.train();
        var dropouts = bundle.Model.named_modules().Where(m => m.name.StartsWith("text.bert.", StringComparison.Ordinal) && m.name.EndsWith("dropout", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dropouts);
        foreach (var (name, module) in dropouts)
            Assert.True(module.training == !frozenPrefixes.Any(f => name.StartsWith(f, StringComparison.Ordinal)), $"{name}: training = {module.training}");

        var frozenBefore = frozenPrefixes.SelectMany(f => Snapshot(bundle.Model, f)).ToDictionary();
        var trainableBefore = Snapshot(bundle.Model, "text.bert.encoder.layer.1.");
        var summary = new Trainer().Run(bundle, split, new TrainerOptions
        {
            OutputDirectory = Path.Combine(_root, "run"), Steps = 2, BatchSize = 8, LearningRate = 1e-2, Workers = 1, Seed = 7,
        });
        Assert.True(double.IsFinite(summary.LossLast));
        var after = Snapshot(bundle.Model, "text.bert.");
        foreach (var (name, before) in frozenBefore) Assert.True(before.SequenceEqual(after[name]), $"{name} changed");
        Assert.Contains(trainableBefore, kv => !kv.Value.SequenceEqual(after[kv.Key]));
    }

    [Theory]
    [InlineData(TextPooling.Cls)]
    [InlineData(TextPooling.Mean)]
    [InlineData(TextPooling.Pooler)]
    public void Cached_features_give_the_embeddings_of_the_uncached_encoder(TextPooling pooling)
    {
        var options = new BertTextEncoderOptions { FrozenLayers = 2, Pooling = pooling, ProjectionDim = 16, Seed = 1 };
        using var cached = BertTextEncoder.FromPretrained(_bert, options with { FeatureCacheCapacity = 100 });
        using var plain = BertTextEncoder.FromPretrained(_bert, options);
        cached.Module.train();
        plain.Module.eval();
        var tokenizer = ReportTokenizer.Load(Path.Combine(_bert, "vocab.txt"), new TokenizerConfig { MaxLength = 48, StripAccents = true });
        string[] reports = ["sinus rhythm", "atrial fibrillation", "sinus rhythm", "left bundle branch block with a long tail of words"];
        using var scope = NewDisposeScope();
        var (ids, mask) = tokenizer.EncodeBatch(reports).ToTensors();
        var reference = Values(plain.Encode(ids, mask));
        var first = Values(cached.Encode(ids, mask));
        Assert.Equal(3, cached.FeatureCache!.RowsEncoded); // "sinus rhythm" twice in the batch, encoded once
        var second = Values(cached.Encode(ids, mask));
        Assert.Equal(3, cached.FeatureCache.RowsEncoded);
        Assert.Equal(first, second);
        for (int i = 0; i < reference.Length; i++) Assert.True(Math.Abs(reference[i] - first[i]) < 1e-5, $"element {i}: {reference[i]} vs {first[i]}");

        cached.FreezeLayers(1); // no longer fully frozen: the cache is cleared and bypassed
        Assert.Equal(0, cached.FeatureCache.Count);
        cached.Module.eval();
        var unfrozen = Values(cached.Encode(ids, mask));
        Assert.Equal(3, cached.FeatureCache.RowsEncoded);
        for (int i = 0; i < reference.Length; i++) Assert.True(Math.Abs(reference[i] - unfrozen[i]) < 1e-5, $"element {i}");
    }

    [Fact]
    public void A_training_step_through_the_cached_tower_inside_a_scope_leaves_no_live_tensors()
    {
        using var encoder = BertTextEncoder.FromPretrained(_bert, new BertTextEncoderOptions { FrozenLayers = 2, Pooling = TextPooling.Pooler, ProjectionDim = 8, FeatureCacheCapacity = 10 });
        encoder.Module.train();
        using var optimizer = optim.AdamW(encoder.Module.parameters().Where(p => p.requires_grad), 1e-3);
        var tokenizer = ReportTokenizer.Load(Path.Combine(_bert, "vocab.txt"), new TokenizerConfig { MaxLength = 32, StripAccents = true });
        var batch = tokenizer.EncodeBatch(["sinus rhythm", "atrial flutter"]);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int step = 0; step < 2; step++) // a miss, then a hit
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (ids, mask) = batch.ToTensors();
            encoder.Encode(ids, mask).pow(2).mean().backward();
            optimizer.step();
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal(2, encoder.FeatureCache!.RowsEncoded);
        Assert.Equal(2, encoder.FeatureCache.Hits);
    }

    [Fact]
    public void The_tokenizer_follows_the_bert_casing_and_length()
    {
        var builder = new BertTextTowerBuilder();
        var spec = Config(_bert, 2).Text with { MaxTokens = 512 };
        var tower = builder.Create(spec, 16, []);
        using (tower.Encoder)
        {
            var tokenizer = Assert.IsType<ReportBatcher>(tower.Batcher).Tokenizer;
            Assert.True(tokenizer.Config.LowerCase);
            Assert.True(tokenizer.Config.StripAccents); // uncased BERT without tokenizer_config.json: accents stripped as HF does
            Assert.Equal(64, tokenizer.Config.MaxLength); // capped at max_position_embeddings
        }
        File.WriteAllText(Path.Combine(_bert, "tokenizer_config.json"), "{ \"do_lower_case\": false }");
        tower = builder.Create(spec, 16, []);
        using (tower.Encoder)
        {
            var config = Assert.IsType<ReportBatcher>(tower.Batcher).Tokenizer.Config;
            Assert.False(config.LowerCase);
            Assert.False(config.StripAccents);
            Assert.False(config.Normalizer.CaseFold);
        }
    }

    [Theory]
    [InlineData("vocab.txt")]
    [InlineData("config.json")]
    [InlineData("model.safetensors")]
    public void A_bert_folder_missing_a_file_fails_naming_it(string file)
    {
        File.Delete(Path.Combine(_bert, file));
        var ex = Assert.Throws<FileNotFoundException>(() => Factory().Create(Config(_bert, null), ["sinus rhythm"]));
        Assert.Contains(file == "model.safetensors" ? _bert : Path.Combine(_bert, file), ex.Message);
        Assert.Contains(file, ex.Message);
    }

    [Fact]
    public void A_bert_folder_whose_weights_do_not_fit_its_config_fails_naming_the_weights_file()
    {
        File.WriteAllText(Path.Combine(_bert, "config.json"), (TinyBertDirectory.Config with { IntermediateSize = 48 }).ToJson());
        var ex = Assert.Throws<InvalidDataException>(() => Factory().Create(Config(_bert, null), ["sinus rhythm"]));
        Assert.Contains(Path.Combine(_bert, "model.safetensors"), ex.Message);
        Assert.Contains("encoder.layer.0.intermediate.dense.weight", ex.Message);
    }

    [Fact]
    public void Bad_bert_options_and_folders_fail_with_typed_errors()
    {
        var tooMany = Assert.Throws<ModelConfigException>(() => Factory().Create(Config(_bert, 3), ["sinus rhythm"]));
        Assert.Contains("frozenLayers", tooMany.Message);
        Assert.Throws<DirectoryNotFoundException>(() => Factory().Create(Config(Path.Combine(_root, "absent"), null), ["x"]));
        var noPath = Config(_bert, null);
        noPath = noPath with { Text = noPath.Text with { Options = JsonDocument.Parse("{ \"frozenLayers\": 1 }").RootElement } };
        Assert.Contains("text.options.path", Assert.Throws<ModelConfigException>(() => Factory().Create(noPath, ["x"])).Message);
        var unknown = noPath with { Text = noPath.Text with { Options = JsonDocument.Parse("{ \"path\": \"x\", \"layers\": 1 }").RootElement } };
        Assert.Throws<ModelConfigException>(() => Factory().Create(unknown, ["x"]));
        File.WriteAllLines(Path.Combine(_bert, "vocab.txt"), [.. TinyBertDirectory.Vocabulary, .. Enumerable.Range(0, 10).Select(i => $"extra{i}")]);
        var big = Assert.Throws<InvalidDataException>(() => Factory().Create(Config(_bert, null), ["x"]));
        Assert.Contains(Path.Combine(_bert, "vocab.txt"), big.Message);
    }

    [Fact]
    public void A_checkpoint_without_its_bert_config_fails_naming_the_file()
    {
        var split = TrainingData.FromSplits(new SyntheticPairs(train: 8));
        string dir = Path.Combine(_root, "model");
        using (var bundle = Factory().Create(Config(_bert, null), split.Train.Select(i => i.Report).ToList()))
            EcgClipModelFactory.SaveModelFiles(bundle, dir);
        File.Delete(Path.Combine(dir, BertTextTowerBuilder.ConfigFileName));
        var ex = Assert.Throws<InvalidDataException>(() => Factory().FromPretrained(dir));
        Assert.Contains(Path.Combine(dir, BertTextTowerBuilder.ConfigFileName), ex.Message);
    }
}
