using EcgClip.Core.Hosting;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// The default <see cref="IEvaluationModelSource"/>: "none" is a random initialisation of the requested backbone
/// (seeded through the <see cref="IEcgEncoderProvider"/>'s options) with the default preprocessing and no text tower,
/// named "random"; a folder goes to the first registered <see cref="ICheckpointModelLoader"/> (an application registers
/// its own before <c>AddEcgClipEval</c> to replace the built-in one).
/// </summary>
public sealed class EvaluationModelSource(IEcgEncoderProvider encoders, IEnumerable<ICheckpointModelLoader> checkpointLoaders) : IEvaluationModelSource
{
    /// <summary>The report name of a randomly initialised model.</summary>
    public const string RandomModelName = "random";

    /// <inheritdoc />
    public EvaluationModel Load(EvaluationModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsRandomInitialisation)
        {
            var factory = encoders.GetFactory(request.Backbone); // unknown names throw, listing the known ones
            var encoder = factory.Create();
            return new EvaluationModel(RandomModelName, encoder, null, null, $"random:{factory.Name}:{request.Seed}");
        }
        string dir = request.Checkpoint!;
        if (!System.IO.Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: checkpoint folder not found");
        var loader = checkpointLoaders.FirstOrDefault() ?? throw new CheckpointLoadingUnavailableException(dir);
        return loader.Load(dir);
    }
}
