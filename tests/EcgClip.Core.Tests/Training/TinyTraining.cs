using System.Text;
using EcgClip.Core.Abstractions;
using EcgClip.Core.Encoders;
using EcgClip.Core.Models;
using EcgClip.Core.Objectives;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Dsp.Preprocessing;
using EcgClip.Signal.Records;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training;

/// <summary>Tiny stand-ins for Core's training tests: a bag-of-words text tower (Core cannot see EcgClip.Text), a synthetic data set and a tiny model.</summary>
internal static class TinyTraining
{
    public static readonly string[] Reports = ["normal ecg", "atrial fibrillation", "left bundle branch block", "old myocardial infarction"];

    public static ModelConfig Config(string objective = "clip", int length = 64) => new()
    {
        Name = "tiny",
        Ecg = new EncoderConfig { Name = "tiny", Layers = [1, 1], Widths = [8, 16], EmbeddingDim = 16 },
        Text = new TextTowerSpec { Encoder = "bag", VocabularySize = 64, MaxTokens = 16 },
        EmbeddingDim = 16,
        Objective = new ObjectiveOptions { Name = objective },
        Preprocessing = new PreprocessingConfig { SamplingRateHz = 100, Normalization = NormalizationMethod.ZScore },
        EcgViews = objective == "merl" ? 2 : 1,
        SampleLength = length,
        SamplingRate = 100,
    };

    public static EcgClipModelFactory Factory() => new(new ModelCatalog(), new BagTextTowerBuilder(), ObjectiveRegistry.CreateBuiltIn());

    /// <summary>A data set whose ECG shape depends on the report (so there is something to learn); ids in <paramref name="corrupt"/> fail to load.</summary>
    public sealed class SyntheticDataset(int train, int validation, int test, int length = 64, params string[] corrupt)
        : EcgClip.Testing.SyntheticEcgTextDataset("synthetic", Reports, train, validation, test, length, variantSpellings: false, corrupt);

    /// <summary>Bag of hashed words → mean embedding → linear; tokens are FNV hashes of words modulo the vocabulary size.</summary>
    private sealed class BagTextEncoder : nn.Module<Tensor, Tensor, Tensor>, ITextEncoder
    {
        private readonly Embedding embed;
        private readonly Linear proj;

        public BagTextEncoder(int vocab, int dim) : base("bag")
        {
            embed = nn.Embedding(vocab, 16);
            proj = nn.Linear(16, dim);
            RegisterComponents();
        }

        public int OutputDim => (int)proj.out_features;
        public int MaxLength => 16;
        public nn.Module Module => this;
        public Tensor Encode(Tensor inputIds, Tensor attentionMask) => forward(inputIds, attentionMask);

        public override Tensor forward(Tensor ids, Tensor mask)
        {
            using var scope = NewDisposeScope();
            var m = mask.to(ScalarType.Float32).unsqueeze(-1);
            var pooled = (embed.forward(ids) * m).sum(1) / m.sum(1).clamp_min(1);
            return proj.forward(pooled).MoveToOuterDisposeScope();
        }
    }

    private sealed class BagBatcher(int vocab, string file) : IReportBatcher
    {
        public string Normalize(string? report) => (report ?? "").Trim().ToLowerInvariant();

        public (Tensor InputIds, Tensor AttentionMask) Tokenize(IReadOnlyList<string> reports)
        {
            var rows = reports.Select(r => Normalize(r).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Hash(w) % (vocab - 1) + 1).Take(16).ToArray()).ToArray();
            int width = Math.Max(1, rows.Max(r => r.Length));
            var ids = new long[rows.Length * width];
            var mask = new long[rows.Length * width];
            for (int i = 0; i < rows.Length; i++)
                for (int j = 0; j < rows[i].Length; j++) { ids[i * width + j] = rows[i][j]; mask[i * width + j] = 1; }
            return (tensor(ids, [rows.Length, width]), tensor(mask, [rows.Length, width]));
        }

        public void SaveTo(string directory) => File.WriteAllText(Path.Combine(directory, file), $"bag {vocab}\n");

        private static long Hash(string w)
        {
            uint h = 2166136261;
            foreach (byte b in Encoding.UTF8.GetBytes(w)) h = (h ^ b) * 16777619;
            return h;
        }
    }

    private sealed class BagTextTowerBuilder : ITextTowerBuilder
    {
        public TextTower Create(TextTowerSpec spec, int outputDim, IReadOnlyList<string> trainingReports) =>
            new(new BagTextEncoder(spec.VocabularySize, outputDim), new BagBatcher(spec.VocabularySize, spec.Vocabulary));

        public TextTower Load(TextTowerSpec spec, int outputDim, string checkpointDirectory)
        {
            string path = Path.Combine(checkpointDirectory, spec.Vocabulary);
            if (!File.Exists(path)) throw new InvalidDataException($"{path}: vocabulary missing");
            return Create(spec, outputDim, []);
        }
    }
}
