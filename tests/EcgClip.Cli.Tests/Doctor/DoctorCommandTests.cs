using System.Text.Json;
using EcgClip.Core.Native;

namespace EcgClip.Cli.Tests.Doctor;

public sealed class DoctorCommandTests
{
    [Fact]
    public void Doctor_Json_HealthyWithFiniteLossAndFixStatusMatchingSystem()
    {
        var (exit, stdout, stderr) = CliRunner.Run("doctor", "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}{stdout}");
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("healthy").GetBoolean());
        var fb = root.GetProperty("forward_backward");
        Assert.True(double.IsFinite(fb.GetProperty("loss").GetDouble()));
        Assert.True(fb.GetProperty("grad_norm").GetDouble() > 0);
        Assert.Equal([4, 256], fb.GetProperty("embedding").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("0.107.0", root.GetProperty("torchsharp_version").GetString());

        string libstdcxx = root.GetProperty("libstdcxx").GetString()!;
        bool systemHas = LibStdCxxProbe.Defines(libstdcxx, TorchNativeLoader.RequiredGlibcxx);
        Assert.Equal(!systemHas, root.GetProperty("native_fix").GetProperty("applied").GetBoolean());
    }

    [Fact]
    public void Doctor_UnknownBackbone_NotHealthyAndSaysWhy()
    {
        var (exit, stdout, _) = CliRunner.Run("doctor", "--json", "--backbone", "resnet50");
        Assert.NotEqual(0, exit);
        Assert.Contains("resnet50", stdout);
        Assert.Contains("resnet18", stdout);
    }

    [Fact]
    public void Help_ListsDoctor()
    {
        var (exit, stdout, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("doctor", stdout);
    }

    [Fact]
    public void Version_AsProcess_PrintsPackageVersion()
    {
        // --version reports the entry assembly, so run the real tool rather than in-process.
        var (exit, stdout, _) = CliProcess.Run("--version");
        Assert.Equal(0, exit);
        Assert.StartsWith("0.1.0", stdout.Trim());
    }
}
