using EcgClip.Eval.Comparison;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Protocols;
using EcgClip.Eval.Reporting;
using EcgClip.Eval.Training;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EcgClip.Eval's services.</summary>
public static class EcgClipEvalServiceCollectionExtensions
{
    /// <summary>
    /// Adds the stateless, thread-safe evaluators: <see cref="RankingEvaluator"/> (PRAUC/AUROC with bootstrap CIs),
    /// <see cref="PairedComparer"/> (paired model comparison, DeLong), the linear-probe protocol (<see cref="LinearProbe"/>,
    /// <see cref="DataEfficiencyRunner"/>, <see cref="LinearProbeEvaluation"/>), <see cref="ModelComparer"/> and
    /// <see cref="ResultsWriter"/>; and the evaluation orchestration: <see cref="EvaluationRunner"/>, <see cref="ReproductionRunner"/>, its
    /// <see cref="EmbeddingCache"/> and <see cref="IEvaluationModelSource"/> (random initialisation through Core's
    /// <c>IEcgEncoderProvider</c>; checkpoint folders through a registered <see cref="ICheckpointModelLoader"/>);
    /// and Core's pretraining <see cref="EcgClip.Core.Training.IValidationEvaluator"/> (<see cref="RetrievalValidationEvaluator"/>). Settings are passed per call. Uses TryAdd.
    /// </summary>
    public static IServiceCollection AddEcgClipEval(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<RankingEvaluator>();
        services.TryAddSingleton<PairedComparer>();
        services.TryAddSingleton<LinearProbe>();
        services.TryAddSingleton<DataEfficiencyRunner>();
        services.TryAddSingleton<ModelComparer>();
        services.TryAddSingleton<ResultsWriter>();
        services.TryAddSingleton<LinearProbeEvaluation>();
        services.TryAddSingleton<EmbeddingCache>();
        services.TryAddSingleton<EvaluationRunner>();
        services.TryAddSingleton<ReproductionRunner>();
        services.TryAddSingleton<IEvaluationModelSource, EvaluationModelSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICheckpointModelLoader, PretrainedCheckpointLoader>());
        services.TryAddSingleton<EcgClip.Core.Training.IValidationEvaluator, RetrievalValidationEvaluator>();
        return services;
    }
}
