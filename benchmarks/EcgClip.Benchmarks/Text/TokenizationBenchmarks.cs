using BenchmarkDotNet.Attributes;
using EcgClip.Text.Data;
using EcgClip.Text.Normalization;
using EcgClip.Text.Tokenization;

namespace EcgClip.Benchmarks.Text;

/// <summary>
/// Report tokenisation throughput on the PTB-XL reports of <c>../shared/data/ptbxl/ptbxl_database.csv</c>
/// (1,999 reports; override the data folder with ECGCLIP_SHARED_DATA). Each invocation processes every report
/// once; <c>OperationsPerInvoke</c> makes the reported mean the time per report (reports/s = 1 / mean).
/// The vocabulary (2,000 entries) is trained on folds 1–8 in the global setup.
/// Baseline: BertTokenizer alone on the raw text (no EcgClip normalisation).
/// </summary>
[MemoryDiagnoser]
public class TokenizationBenchmarks
{
    private const int Reports = 1999;
    private string[] _reports = [];
    private ReportTokenizer _tokenizer = null!;
    private ReportNormalizer _normalizer = null!;

    [GlobalSetup]
    public void Setup()
    {
        string csv = Path.Combine(SharedData(), "ptbxl", "ptbxl_database.csv");
        _reports = ReportSource.Read(csv).Take(Reports).ToArray();
        if (_reports.Length != Reports) throw new InvalidOperationException($"expected {Reports} reports in {csv}, got {_reports.Length}");
        var vocab = new WordPieceTrainer(new WordPieceTrainerOptions { VocabSize = 2000 }).Train(ReportSource.Read(csv, folds: ReportSource.ParseFolds("1-8")));
        _tokenizer = ReportTokenizer.Create(vocab);
        _normalizer = _tokenizer.Normalizer;
    }

    /// <summary>Microsoft.ML.Tokenizers' BertTokenizer alone on the raw report (its own lower-casing only).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Reports)]
    public long BertTokenizerOnly()
    {
        long n = 0;
        foreach (var r in _reports) n += _tokenizer.Bert.EncodeToIds(r, addSpecialTokens: true).Count;
        return n;
    }

    /// <summary>EcgClip normalisation alone.</summary>
    [Benchmark(OperationsPerInvoke = Reports)]
    public long NormalizeOnly()
    {
        long n = 0;
        foreach (var r in _reports) n += _normalizer.Normalize(r).Length;
        return n;
    }

    /// <summary>The full path: normalise, tokenise, add [CLS]/[SEP], truncate to 128.</summary>
    [Benchmark(OperationsPerInvoke = Reports)]
    public long NormalizeAndTokenize()
    {
        long n = 0;
        foreach (var r in _reports) n += _tokenizer.Encode(r).Length;
        return n;
    }

    private static string SharedData()
    {
        if (Environment.GetEnvironmentVariable("ECGCLIP_SHARED_DATA") is { Length: > 0 } env) return env;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EcgClip.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("EcgClip.sln not found above " + AppContext.BaseDirectory + "; set ECGCLIP_SHARED_DATA");
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
    }
}
