using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using EcgClip.Cli.Infrastructure;
using EcgClip.Signal.Formats.Npy;
using EcgClip.Testing;

namespace EcgClip.Cli.Tests.Convert;

/// <summary>
/// <c>ecgclip convert</c> reproduces every rdsamp reference output of wfdb-python's tests/target-output
/// (WFDB C tools 10.5.24; shared/data/wfdb_python_samples/SOURCE.md), through the real command line.
/// </summary>
public sealed class ConvertCommandTests
{
    /// <summary>(oracle file, record, --channels, --from, --to, physical, -H) from the SOURCE.md table, as 0-based slices.</summary>
    public static TheoryData<string, string, string?, long, long?, bool, bool> Oracles => new()
    {
        { "record-1a", "test01_00s", null, 0, null, false, false },
        { "record-1b", "a103l", "2,0", 12500, 40000, true, false },
        { "record-1c", "a103l", "0,1", 20000, null, false, false },
        { "record-1d", "3000003_0003", "1", 125, 1000, true, false },
        { "record-1f.gz", "binformats", null, 0, null, false, false },
        { "record-2b", "100", "1", 1, 10800, false, false },
        { "record-2c", "100_3chan", null, 0, null, true, false },
        { "record-2d", "310derive", null, 2, null, false, false },
        { "record-2e", "311derive", null, 1, 978, true, false },
        { "record-3b", "s0010_re", "13,0,4,8,3", 5000, 38000, true, false },
        { "record-4a", "test01_00s_skewframe", null, 0, 3997, false, false },
        { "record-4c", "03700181", "0,2", 1000, 16000, true, false },
        { "record-multi-fixed-c", "multi-segment/fixed1/v102s", "1,0,3", 70000, 80000, true, false },
        { "record-multi-fixed-d.gz", "multi-segment/041s/041s", "3,2,1", 0, null, false, true },
        { "record-multi-variable-d", "multi-segment/p000878/p000878-2137-10-26-16-57", "0,1", 3550, 7500, false, false },
    };

    private static readonly Lock s_invokeLock = new();

    private static int Invoke(params string[] args)
    {
        lock (s_invokeLock) return CommandCatalog.BuildRoot().Parse(args).Invoke();
    }

    [Theory]
    [MemberData(nameof(Oracles))]
    public void Convert_RdsampOracle_NpyEqualsOracle(string oracle, string record, string? channels, long from, long? to, bool physical, bool highRes)
    {
        string recordPath = TestPaths.Fixture("wfdb_python_samples", "sample-data", record + ".hea")[..^4];
        string output = Path.Combine(Path.GetTempPath(), $"ecgclip-convert-{Guid.NewGuid():N}.npy");
        var args = new List<string> { "convert", recordPath, "--output", output, physical ? "--physical" : "--digital", "--from", from.ToString(CultureInfo.InvariantCulture) };
        if (to is long t) args.AddRange(["--to", t.ToString(CultureInfo.InvariantCulture)]);
        if (channels is not null) args.AddRange(["--channels", channels]);
        if (highRes) args.Add("-H");
        try
        {
            Assert.Equal(0, Invoke([.. args]));
            var npy = NpyReader.Read(output);
            var expected = LoadOracle(TestPaths.Fixture("wfdb_python_samples", "tests", "target-output", oracle));
            Assert.Equal(2, npy.Shape.Length);
            Assert.Equal(expected.Length, npy.Shape[0]);
            Assert.Equal(expected[0].Length, npy.Shape[1]);
            int m = npy.Shape[1];
            if (physical)
            {
                Assert.Equal(NpyDType.Float64, npy.DType);
                var d = npy.As<double>();
                for (int i = 0; i < expected.Length; i++)
                    for (int c = 0; c < m; c++)
                    {
                        double want = expected[i][c], got = d[i * m + c];
                        if (double.IsNaN(want)) Assert.True(double.IsNaN(got), $"{oracle} row {i} col {c}: expected NaN, got {got}");
                        else Assert.True(Math.Round(got, 8) == want, $"{oracle} row {i} col {c}: expected {want}, got {got}");
                    }
            }
            else
            {
                Assert.Equal(NpyDType.Int32, npy.DType);
                var d = npy.As<int>();
                for (int i = 0; i < expected.Length; i++)
                    for (int c = 0; c < m; c++)
                    {
                        double want = expected[i][c];
                        if (!double.IsNaN(want)) Assert.True(d[i * m + c] == want, $"{oracle} row {i} col {c}: expected {want}, got {d[i * m + c]}");
                    }
            }
        }
        finally { File.Delete(output); }
    }

    [Fact]
    public void Convert_Csv_OneColumnPerChannelWithHeaderRow()
    {
        string recordPath = TestPaths.Fixture("wfdb_python_samples", "sample-data", "100.hea")[..^4];
        string output = Path.Combine(Path.GetTempPath(), $"ecgclip-convert-{Guid.NewGuid():N}.csv");
        try
        {
            Assert.Equal(0, Invoke("convert", recordPath, "--output", output, "--digital", "--from", "1", "--to", "4"));
            var lines = File.ReadAllLines(output);
            Assert.Equal("MLII,V5", lines[0]);
            Assert.Equal(4, lines.Length);
            // record-2b: the first V5 value from sample 1 is 1011.
            Assert.EndsWith(",1011", lines[1]);
        }
        finally { File.Delete(output); }
    }

    [Theory]
    [InlineData("--from", "5", "--to", "5")]
    [InlineData("--from", "9", "--to", "3")]
    [InlineData("--channels", "0,7")]
    [InlineData("--channels", "0,,1")]
    [InlineData("--channels", "nosuchlead")]
    [InlineData("--to", "650001")]
    [InlineData("--from", "-1")]
    [InlineData("--physical", "--digital")]
    public void Convert_BadArguments_Exit2(params string[] extra)
    {
        string recordPath = TestPaths.Fixture("wfdb_python_samples", "sample-data", "100.hea")[..^4];
        string output = Path.Combine(Path.GetTempPath(), $"ecgclip-convert-{Guid.NewGuid():N}.npy");
        Assert.Equal(ExitCodes.BadInput, Invoke(["convert", recordPath, "--output", output, .. extra]));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Convert_MissingFile_Exit2()
    {
        Assert.Equal(ExitCodes.BadInput, Invoke("convert", "/nonexistent/record.hea", "--output", Path.Combine(Path.GetTempPath(), "x.npy")));
    }

    [Fact]
    public void Convert_BadOutputExtension_Exit2()
    {
        string recordPath = TestPaths.Fixture("wfdb_python_samples", "sample-data", "100.hea")[..^4];
        Assert.Equal(ExitCodes.BadInput, Invoke("convert", recordPath, "--output", Path.Combine(Path.GetTempPath(), "x.txt")));
    }

    [Fact]
    public void ConvertAndInfo_Json_OneSnakeCaseLine()
    {
        string hea = TestPaths.Fixture("cinc2021_samples", "HR06000.hea");
        string output = Path.Combine(Path.GetTempPath(), $"ecgclip-convert-{Guid.NewGuid():N}.npy");
        try
        {
            var (code, stdout) = RunProcess("convert", hea, "--output", output, "--json");
            Assert.Equal(0, code);
            using (var doc = JsonDocument.Parse(stdout.Trim()))
            {
                Assert.Equal(5000, doc.RootElement.GetProperty("shape")[0].GetInt32());
                Assert.Equal(12, doc.RootElement.GetProperty("shape")[1].GetInt32());
            }
            (code, stdout) = RunProcess("info", hea, "--json");
            Assert.Equal(0, code);
            Assert.Single(stdout.Trim().Split('\n'));
            using var info = JsonDocument.Parse(stdout);
            var root = info.RootElement;
            Assert.Equal(500, root.GetProperty("sampling_rate_hz").GetDouble());
            Assert.Equal(59, root.GetProperty("metadata").GetProperty("age").GetDouble());
            Assert.Equal("F", root.GetProperty("metadata").GetProperty("sex").GetString());
            Assert.Equal(["164934002", "426783006"], root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.True(root.GetProperty("checksums_verified").GetBoolean());
            Assert.True(root.GetProperty("canonical12").GetBoolean());
        }
        finally { File.Delete(output); }
    }

    private static (int Code, string Stdout) RunProcess(params string[] args)
    {
        var (code, stdout, _) = CliProcess.Run(args);
        return (code, stdout);
    }

    private static double[][] LoadOracle(string path)
    {
        using Stream raw = File.OpenRead(path);
        using Stream s = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(s);
        var rows = new List<double[]>();
        while (reader.ReadLine() is { } line)
        {
            var tok = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tok.Length > 0) rows.Add(tok.Select(t => t == "-" ? double.NaN : double.Parse(t, CultureInfo.InvariantCulture)).ToArray());
        }
        return [.. rows];
    }
}
