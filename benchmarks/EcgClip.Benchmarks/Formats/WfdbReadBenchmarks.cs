using System.Globalization;
using BenchmarkDotNet.Attributes;
using EcgClip.Signal.Formats.Npy;
using EcgClip.Signal.Formats.Wfdb;

namespace EcgClip.Benchmarks.Formats;

/// <summary>
/// Decoding PTB-XL 500 Hz WFDB records (format 16, 12 leads x 5000 samples) from the page cache, checksums verified.
/// Target: at least 2,000 records/s per core, i.e. at most 500 µs per record (results are per record).
/// Baseline: a straightforward BinaryReader, per-sample reference decoder.
/// </summary>
[MemoryDiagnoser]
public class WfdbReadBenchmarks
{
    private const int Records = 20;
    private string[] _headers = [];

    [GlobalSetup]
    public void Setup()
    {
        string root = SharedData();
        _headers = Directory.GetFiles(Path.Combine(root, "ptbxl", "records500"), "*.hea", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal).Take(Records).ToArray();
        if (_headers.Length == 0) throw new InvalidOperationException($"no PTB-XL 500 Hz records under {root}");
        foreach (var h in _headers) WfdbReader.Read(h); // warm the page cache
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public double ReferenceBinaryReader()
    {
        double acc = 0;
        foreach (var h in _headers)
        {
            var lines = File.ReadAllLines(h);
            var rec = lines[0].Split(' ');
            int nsig = int.Parse(rec[1], CultureInfo.InvariantCulture), n = int.Parse(rec[3], CultureInfo.InvariantCulture);
            var gains = new double[nsig];
            for (int s = 0; s < nsig; s++)
                gains[s] = double.Parse(lines[1 + s].Split(' ')[2].Split('(')[0], CultureInfo.InvariantCulture);
            var signals = new double[nsig][];
            for (int s = 0; s < nsig; s++) signals[s] = new double[n];
            using var br = new BinaryReader(File.OpenRead(Path.ChangeExtension(h, ".dat")));
            for (int t = 0; t < n; t++)
                for (int s = 0; s < nsig; s++) signals[s][t] = br.ReadInt16() / gains[s];
            acc += signals[0][0];
        }
        return acc;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public double WfdbReaderRead()
    {
        double acc = 0;
        foreach (var h in _headers) acc += WfdbReader.Read(h).Channels[0].Physical[0];
        return acc;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int WfdbHeaderParseOnly()
    {
        int acc = 0;
        foreach (var h in _headers) acc += WfdbHeaderParser.ParseFile(h).SignalCount;
        return acc;
    }

    /// <summary>
    /// Writing one decoded record as a float64 [5000, 12] .npy to memory (the convert command's hot loop).
    /// </summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public long NpyWriteOneRecord()
    {
        var r = WfdbReader.Read(_headers[0]);
        int n = r.SampleCount, m = r.Channels.Count;
        var data = new double[n * m];
        for (int c = 0; c < m; c++)
        {
            var p = r.Channels[c].Physical;
            for (int i = 0, k = c; i < n; i++, k += m) data[k] = p[i];
        }
        using var ms = new MemoryStream(n * m * 8 + 128);
        NpyWriter.Write(ms, NpyArray.Create(data, n, m));
        return ms.Length;
    }

    internal static string SharedData()
    {
        if (Environment.GetEnvironmentVariable("ECGCLIP_SHARED_DATA") is { Length: > 0 } env) return env;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EcgClip.sln")))
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        }
        throw new InvalidOperationException("EcgClip.sln not found; set ECGCLIP_SHARED_DATA");
    }
}
