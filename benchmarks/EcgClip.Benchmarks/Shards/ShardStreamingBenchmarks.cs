using BenchmarkDotNet.Attributes;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;
using EcgClip.Signal.Shards;

namespace EcgClip.Benchmarks.Shards;

/// <summary>
/// Streaming decode speed of <see cref="ShardReader"/> on 2,000 synthetic PTB-XL-sized records (12 leads × 1,000
/// samples, 100 Hz) in 4 shards. Each benchmark reads every record once into a reused float buffer, so the reported
/// time is per record (OperationsPerInvoke); records/s = 1e9 / (ns per op). Target: ≥ 20,000 records/s.
/// The scalar baseline decodes the same memory-mapped int16 data with a plain loop.
/// </summary>
[MemoryDiagnoser]
public class ShardStreamingBenchmarks
{
    private const int Records = 2000;
    private string _int16Dir = "";
    private string _float16Dir = "";
    private ShardReader _int16 = null!;
    private ShardReader _float16 = null!;
    private readonly float[] _buffer = new float[12 * 1000];
    private int[] _permutation = [];
    private short[][] _raw = [];
    private float[][] _rawScales = [];

    [GlobalSetup]
    public void Setup()
    {
        var ds = new SyntheticPtbXlLike(Records);
        _int16Dir = Directory.CreateTempSubdirectory("bench-shards-i16").FullName;
        _float16Dir = Directory.CreateTempSubdirectory("bench-shards-f16").FullName;
        new ShardBuilder().Build(ds, new ShardBuildOptions { OutputDirectory = _int16Dir, RecordsPerShard = 500 });
        new ShardBuilder().Build(ds, new ShardBuildOptions { OutputDirectory = _float16Dir, RecordsPerShard = 500, SampleType = ShardSampleType.Float16 });
        _int16 = ShardReader.Open(_int16Dir);
        _float16 = ShardReader.Open(_float16Dir);
        var rng = new Random(42);
        _permutation = Enumerable.Range(0, Records).OrderBy(_ => rng.Next()).ToArray();
        // Baseline input: the same quantised values in managed arrays.
        _raw = new short[Records][];
        _rawScales = new float[Records][];
        var scales = new float[12];
        for (int i = 0; i < Records; i++)
        {
            _int16.ReadSamples(i, _buffer);
            _int16.ReadScales(i, scales);
            _rawScales[i] = (float[])scales.Clone();
            _raw[i] = new short[_buffer.Length];
            for (int k = 0; k < _buffer.Length; k++) _raw[i][k] = (short)MathF.Round(_buffer[k] / scales[k / 1000]);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _int16.Dispose();
        _float16.Dispose();
        Directory.Delete(_int16Dir, true);
        Directory.Delete(_float16Dir, true);
    }

    /// <summary>Scalar reference: int16 × scale per sample from managed arrays.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public float ScalarDecodeInt16()
    {
        float acc = 0;
        for (int i = 0; i < Records; i++)
        {
            var src = _raw[i];
            var sc = _rawScales[i];
            for (int l = 0; l < 12; l++)
            {
                float s = sc[l];
                for (int t = 0; t < 1000; t++) _buffer[l * 1000 + t] = src[l * 1000 + t] * s;
            }
            acc += _buffer[5];
        }
        return acc;
    }

    /// <summary>Sequential streaming of all records from int16 shards.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public float StreamInt16()
    {
        float acc = 0;
        for (int i = 0; i < Records; i++) { _int16.ReadSamples(i, _buffer); acc += _buffer[5]; }
        return acc;
    }

    /// <summary>Random-order access to all records from int16 shards (a shuffled epoch).</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public float RandomInt16()
    {
        float acc = 0;
        foreach (int i in _permutation) { _int16.ReadSamples(i, _buffer); acc += _buffer[5]; }
        return acc;
    }

    /// <summary>Sequential streaming of all records from float16 shards.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public float StreamFloat16()
    {
        float acc = 0;
        for (int i = 0; i < Records; i++) { _float16.ReadSamples(i, _buffer); acc += _buffer[5]; }
        return acc;
    }

    private sealed class SyntheticPtbXlLike : IEcgTextDataset
    {
        public SyntheticPtbXlLike(int count) =>
            Items = Enumerable.Range(0, count).Select(i => new EcgTextItem(i.ToString(), "synthetic", "sinus rhythm", ["NORM"], "p" + i, DatasetSplit.Train)).ToList();

        public string Name => "synthetic-ptbxl-like";
        public LabelSpace LabelSpace { get; } = new(["NORM"]);
        public IReadOnlyList<EcgTextItem> Items { get; }
        public IReadOnlyList<SkippedRecord> Skipped => [];
        public double? SamplingRate => 100;

        public EcgRecord LoadRecord(EcgTextItem item)
        {
            var rng = new Random(int.Parse(item.Id));
            return new EcgRecord(item.Id, 100, LeadNames.Canonical12.Select(n =>
            {
                var x = new double[1000];
                for (int t = 0; t < x.Length; t++) x[t] = Math.Sin(t * 0.06) + 0.1 * (rng.NextDouble() - 0.5);
                return new EcgChannel(n, x);
            }).ToList());
        }
    }
}
