using EcgClip.Core.Training.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Training.Optimization;

/// <summary>
/// An optimizer's state (per param group its options, learning rate included; per parameter its step count and moments,
/// e.g. AdamW's <c>exp_avg</c> / <c>exp_avg_sq</c>) in TorchSharp's binary state-dict format: a bit-exact round trip.
/// The optimizer loaded into must have the same type, param groups and parameter shapes (build it the same way).
/// </summary>
public static class OptimizerState
{
    /// <summary>Writes the state of <paramref name="optimizer"/> to <paramref name="path"/>.</summary>
    /// <exception cref="NotSupportedException">A native optimizer without a managed state dict.</exception>
    public static void Save(optim.Optimizer optimizer, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var helper = AsHelper(optimizer);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using var writer = new BinaryWriter(stream);
        helper.save_state_dict(writer);
        writer.Flush();
    }

    /// <summary>
    /// Replaces the state of <paramref name="optimizer"/> with the one saved in <paramref name="path"/>. On failure the
    /// optimizer keeps its previous state.
    /// </summary>
    /// <exception cref="CheckpointFormatException">Missing or truncated file, another optimizer type, or other groups / parameter shapes.</exception>
    public static void Load(optim.Optimizer optimizer, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var helper = AsHelper(optimizer);
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "optimizer state file is missing");
        using var backup = new MemoryStream();
        using (var w = new BinaryWriter(backup, System.Text.Encoding.UTF8, leaveOpen: true)) helper.save_state_dict(w);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var reader = new BinaryReader(stream);
            helper.load_state_dict(reader);
            if (stream.Position != stream.Length)
                throw new CheckpointFormatException(path, $"optimizer state has {stream.Length - stream.Position} trailing bytes (a different optimizer layout?)");
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or ArgumentException or IOException)
        {
            backup.Position = 0;
            using (var r = new BinaryReader(backup)) helper.load_state_dict(r);
            if (ex is CheckpointFormatException) throw;
            throw new CheckpointFormatException(path, $"optimizer state does not fit this {optimizer.GetType().Name}: {ex.Message}", ex);
        }
    }

    private static OptimizerHelper AsHelper(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer as OptimizerHelper
            ?? throw new NotSupportedException($"{optimizer.GetType().Name} has no managed state dict to save");
    }
}
