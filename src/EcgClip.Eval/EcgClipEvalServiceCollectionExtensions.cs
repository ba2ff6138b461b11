using EcgClip.Eval.Comparison;
using EcgClip.Eval.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EcgClip.Eval's services.</summary>
public static class EcgClipEvalServiceCollectionExtensions
{
    /// <summary>
    /// Adds the stateless, thread-safe evaluators: <see cref="RankingEvaluator"/> (PRAUC/AUROC with bootstrap CIs) and
    /// <see cref="PairedComparer"/> (paired model comparison, DeLong). Bootstrap settings are passed per call. Uses TryAdd.
    /// </summary>
    public static IServiceCollection AddEcgClipEval(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<RankingEvaluator>();
        services.TryAddSingleton<PairedComparer>();
        return services;
    }
}
