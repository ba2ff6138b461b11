using EcgClip.Core.Models;
using EcgClip.Core.Native;
using EcgClip.Eval.Prediction;
using Microsoft.Extensions.DependencyInjection;
using TorchSharp;

namespace EcgClip.Cli.Commands;

/// <summary>What the model-folder commands (train-heads, predict, explain, embed) share: the services and loading a folder.</summary>
internal static class ModelCommandServices
{
    /// <summary>Services for loading checkpoints (Core + Text for the factory, Eval for embeddings), libtorch threads set.</summary>
    public static ServiceProvider Build(int threads, long seed = 0)
    {
        if (threads < 1) throw new ArgumentException($"--threads must be at least 1, got {threads}");
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(threads);
        return EvaluateCommand.BuildServices("resnet18", seed, threads);
    }

    /// <summary>Loads a model folder written by <c>train-heads</c>.</summary>
    public static LoadedEcgClipModel LoadModel(IServiceProvider services, string modelDirectory)
    {
        if (!Directory.Exists(modelDirectory)) throw new DirectoryNotFoundException($"--model: folder not found: {modelDirectory}");
        return EcgClipModelFolder.Load(services.GetRequiredService<IEcgClipModelFactory>(), modelDirectory);
    }
}
