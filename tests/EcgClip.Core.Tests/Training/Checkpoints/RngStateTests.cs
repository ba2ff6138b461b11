using System.Text.Json;
using EcgClip.Core.Native;
using EcgClip.Core.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training.Checkpoints;

[Collection(GlobalRngCollection.Name)]
public sealed class RngStateTests
{
    public RngStateTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
    }

    [Fact]
    public void CaptureRestore_ThroughJson_ReplaysTheSameDraws()
    {
        random.manual_seed(123);
        using (randn(7)) { }
        string json = JsonSerializer.Serialize(RngState.Capture());
        using var first = randn(16);
        using var dropped = nn.functional.dropout(ones(32), 0.5, training: true);

        Assert.Contains("\"Cpu\":\"", json, StringComparison.Ordinal); // base64 string
        JsonSerializer.Deserialize<RngState>(json)!.Restore();
        using var again = randn(16);
        using var droppedAgain = nn.functional.dropout(ones(32), 0.5, training: true);
        Assert.Equal(first.data<float>().ToArray(), again.data<float>().ToArray());
        Assert.Equal(dropped.data<float>().ToArray(), droppedAgain.data<float>().ToArray());
        using var next = randn(16);
        Assert.NotEqual(first.data<float>().ToArray(), next.data<float>().ToArray());
    }

    [Fact]
    public void Restore_RejectsBytesThatAreNoGeneratorState()
    {
        Assert.Contains("3 bytes", Assert.Throws<ArgumentException>(() => new RngState { Cpu = [1, 2, 3] }.Restore()).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RngState { Cpu = [] }.Restore());
    }
}
