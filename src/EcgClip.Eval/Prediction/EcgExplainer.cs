using EcgClip.Core.Abstractions;
using EcgClip.Eval.Saliency;
using EcgClip.Signal.Records;
using static TorchSharp.torch;

namespace EcgClip.Eval.Prediction;

/// <summary>An explanation of one task output for one ECG: the attribution map over the model's input window and the score it explains.</summary>
/// <param name="Task">The task.</param>
/// <param name="Output">The output (label, class or target) explained.</param>
/// <param name="Method">The attribution method.</param>
/// <param name="Map">Attributions <c>[1, leads (12, or 1 for Grad-CAM), samples]</c> over the first window of the prepared ECG.</param>
/// <param name="Score">The explained output after the task's activation (probability or value).</param>
/// <param name="Prepared">The prepared input that was explained.</param>
public sealed record Explanation(string Task, string Output, SaliencyMethod Method, SaliencyMap Map, double Score, PreparedEcg Prepared);

/// <summary>
/// Attributes one task output of a model to the input ECG (its first window, i.e. the first 10 s the paper plot shows),
/// on the raw output (logit for classification, value for regression): integrated gradients, Grad-CAM-1D through
/// <see cref="IEcgEncoder.EncodeWithFeatureMap"/>, or the input gradient. The model is evaluated in evaluation mode.
/// </summary>
public sealed class EcgExplainer
{
    private readonly IEcgEncoder _encoder;
    private readonly EcgInputPreparer _preparer;
    private readonly TaskHeadSet _heads;

    /// <summary>Creates an explainer over a model's encoder, input preparation and heads (not owned).</summary>
    public EcgExplainer(IEcgEncoder encoder, EcgInputPreparer preparer, TaskHeadSet heads)
    {
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _preparer = preparer ?? throw new ArgumentNullException(nameof(preparer));
        _heads = heads ?? throw new ArgumentNullException(nameof(heads));
    }

    /// <summary>Integrated-gradient steps.</summary>
    public int Steps { get; init; } = 64;

    /// <summary>
    /// Explains <paramref name="output"/> of <paramref name="task"/> (the first output, or for multilabel tasks the most
    /// probable one, when null). Throws <see cref="KeyNotFoundException"/> for an unknown task or output (listing the known ones).
    /// </summary>
    public Explanation Explain(EcgRecord record, string task, string? output = null, SaliencyMethod method = SaliencyMethod.IntegratedGradients)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (spec, head) = _heads.Get(task);
        var prepared = _preparer.Prepare(record);
        _encoder.Module.eval();
        head.Module.eval();
        using var scope = NewDisposeScope();
        var x = tensor(prepared.Data.AsSpan(0, prepared.Leads * prepared.Samples).ToArray(), [1, prepared.Leads, prepared.Samples]);
        double[] probabilities;
        using (no_grad())
            probabilities = head.Predict(_encoder.Encode(x)).to(float64).data<double>().ToArray();
        int k = output is null
            ? (spec.Kind is TaskKind.Regression ? 0 : Array.IndexOf(probabilities, probabilities.Max()))
            : IndexOf(spec, output);

        SaliencyMap map = method switch
        {
            SaliencyMethod.GradCam => GradCam1d.Compute(new SaliencyModel(input =>
            {
                var encoded = _encoder.EncodeWithFeatureMap(input);
                return (head.Forward(encoded.Embedding)[.., k], encoded.FeatureMap);
            }, _encoder.Module, head.Module), x),
            SaliencyMethod.Gradient => GradientSaliency.Gradient(ScoreModel(head, k), x),
            SaliencyMethod.GradientTimesInput => GradientSaliency.GradientTimesInput(ScoreModel(head, k), x),
            _ => IntegratedGradients.Compute(ScoreModel(head, k), x, new IntegratedGradientsOptions { Steps = Steps }),
        };
        return new Explanation(spec.Task, spec.Outputs[k], method, map, probabilities[k], prepared);
    }

    private SaliencyModel ScoreModel(ITaskHead head, int k) =>
        new(input => head.Forward(_encoder.Encode(input))[.., k], _encoder.Module, head.Module);

    private static int IndexOf(TaskHeadSpec spec, string output)
    {
        for (int i = 0; i < spec.Outputs.Count; i++)
            if (string.Equals(spec.Outputs[i], output, StringComparison.OrdinalIgnoreCase)) return i;
        throw new KeyNotFoundException($"task '{spec.Task}' has no output '{output}'; it has: {string.Join(", ", spec.Outputs)}");
    }
}
