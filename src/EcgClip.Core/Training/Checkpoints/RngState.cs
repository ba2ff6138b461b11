using static TorchSharp.torch;

namespace EcgClip.Core.Training.Checkpoints;

/// <summary>
/// The state of libtorch's default CPU generator (dropout masks, <c>randn</c>, <c>randperm</c>), serialisable as JSON
/// (<see cref="Cpu"/> is the generator's state bytes, base64 in JSON). Capture it into a checkpoint, restore it on resume.
/// </summary>
public sealed record RngState
{
    /// <summary>The default CPU generator's state bytes.</summary>
    public required byte[] Cpu { get; init; }

    /// <summary>Captures the current state of the default generator.</summary>
    public static RngState Capture()
    {
        using var state = random.get_rng_state();
        return new RngState { Cpu = CheckpointTensors.RawBytes(state) };
    }

    /// <summary>Sets the default generator to this state.</summary>
    /// <exception cref="ArgumentException">The bytes are not the size of this libtorch's generator state.</exception>
    /// <remarks>
    /// libtorch aborts the process on a malformed state, so the size is checked here first; the content is trusted
    /// (checkpoints are hash-verified against their manifest before they are read).
    /// </remarks>
    public void Restore()
    {
        if (Cpu is null || Cpu.Length == 0) throw new ArgumentException("RNG state is empty");
        long expected;
        using (var current = random.get_rng_state()) expected = current.numel();
        if (Cpu.LongLength != expected)
            throw new ArgumentException($"RNG state has {Cpu.Length} bytes; this libtorch's CPU generator state has {expected}");
        using var state = empty([Cpu.LongLength], ScalarType.Byte);
        state.bytes = Cpu;
        random.set_rng_state(state);
    }
}
