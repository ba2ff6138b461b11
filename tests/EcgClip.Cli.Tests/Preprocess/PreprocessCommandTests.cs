using System.Diagnostics;
using System.Text.Json;
using EcgClip.Signal.Formats.Npy;
using EcgClip.Testing;

namespace EcgClip.Cli.Tests.Preprocess;

/// <summary>End-to-end tests of <c>ecgclip preprocess</c> (child process) against scipy 1.10 fixtures.</summary>
public sealed class PreprocessCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-cli-preprocess-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name) => TestPaths.Repo("tests", "EcgClip.Signal.Tests", "Dsp", "Fixtures", name);

    private static readonly string[] Issue4 =
        ["--fs", "500", "--bandpass", "0.5,40", "--order", "4", "--notch", "50", "--notch-q", "30", "--resample", "250", "--normalize", "zscore"];

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => CliProcess.Run(TimeSpan.FromSeconds(60), args);

    private static double MaxAbsDiff(double[] a, double[] b)
    {
        Assert.Equal(b.Length, a.Length);
        double m = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs(a[i] - b[i]);
            if (!(d <= m)) m = double.IsNaN(d) ? double.PositiveInfinity : d;
        }
        return m;
    }

    [Theory]
    [InlineData("float32", 1e-4)]
    [InlineData("float64", 1e-9)]
    public void Preprocess_Issue4Pipeline_MatchesScipyFixture(string precision, double tolerance)
    {
        string output = Path.Combine(_dir, $"out_{precision}.npy");
        var r = Run(["preprocess", "--input", Fixture("pipeline_input.npy"), "--output", output, .. Issue4,
                     "--threads", "2", "--precision", precision, "--json"]);
        Assert.True(r.Code == 0, r.Stderr);
        var y = NpyReader.Read(output);
        Assert.Equal([2, 12, 2500], y.Shape);
        Assert.Equal(precision == "float32" ? NpyDType.Float32 : NpyDType.Float64, y.DType);
        double err = MaxAbsDiff(y.ToDoubleArray(), NpyReader.Read(Fixture("pipeline_expected.npy")).As<double>());
        Assert.True(err <= tolerance, $"{precision}: max |ours - scipy| = {err}");

        using var json = JsonDocument.Parse(r.Stdout);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("records").GetInt32());
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
        Assert.Equal(250, root.GetProperty("pipeline").GetProperty("resample_hz").GetDouble());
        Assert.Equal(50, root.GetProperty("pipeline").GetProperty("notch_hz").GetDouble());
    }

    private string WriteNpy<T>(string name, T[] data, params int[] shape) where T : unmanaged
    {
        string path = Path.Combine(_dir, name);
        NpyWriter.Write(path, data, shape);
        return path;
    }

    private void AssertBadInput(string input, string expectedFragment, params string[] extra)
    {
        var r = Run(["preprocess", "--input", input, "--output", Path.Combine(_dir, "bad_out.npy"), .. (extra.Length > 0 ? extra : Issue4), "--json"]);
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Stdout} {r.Stderr}");
        Assert.Contains(expectedFragment, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal("bad_input", json.RootElement.GetProperty("error").GetString());
        Assert.False(File.Exists(Path.Combine(_dir, "bad_out.npy")));
    }

    [Fact]
    public void Preprocess_IntegerDtype_ExitsBadInputNamingDtype() =>
        AssertBadInput(WriteNpy("int.npy", new int[2 * 100], 1, 2, 100), "dtype");

    [Fact]
    public void Preprocess_Rank2Array_ExitsBadInputNamingRank() =>
        AssertBadInput(WriteNpy("rank2.npy", new float[2 * 100], 2, 100), "rank-3");

    [Fact]
    public void Preprocess_NaNSample_ExitsBadInputNamingRecordAndLead()
    {
        var x = new float[2 * 3 * 200];
        x[1 * 600 + 2 * 200 + 5] = float.NaN;
        AssertBadInput(WriteNpy("nan.npy", x, 2, 3, 200), "record 1, lead 2, sample 5");
    }

    [Fact]
    public void Preprocess_NaNWithRepairZero_WritesFiniteOutput()
    {
        var x = new float[1 * 2 * 300];
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Sin(i * 0.05f);
        x[17] = float.NaN;
        string output = Path.Combine(_dir, "repaired.npy");
        var r = Run(["preprocess", "--input", WriteNpy("nan_repair.npy", x, 1, 2, 300), "--output", output, .. Issue4, "--repair-nonfinite", "zero", "--json"]);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.All(NpyReader.Read(output).As<float>(), v => Assert.True(float.IsFinite(v)));
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal("Zero", json.RootElement.GetProperty("pipeline").GetProperty("repair_non_finite").GetString());
    }

    [Fact]
    public void Preprocess_CutoffAboveNyquist_ExitsBadInputNamingNyquist() =>
        AssertBadInput(WriteNpy("ok.npy", new float[300], 1, 1, 300), "Nyquist", "--fs", "100", "--lowpass", "60");

    [Fact]
    public void Preprocess_SignalShorterThanPadding_ExitsBadInputNamingPadLength() =>
        AssertBadInput(WriteNpy("short.npy", new float[20], 1, 1, 20), "pad length");

    [Fact]
    public void Preprocess_Help_DocumentsFloat64Output()
    {
        var r = Run("preprocess", "--help");
        Assert.Equal(0, r.Code);
        Assert.Contains("float64", r.Stdout);
        Assert.Contains("--bandpass", r.Stdout);
    }
}
