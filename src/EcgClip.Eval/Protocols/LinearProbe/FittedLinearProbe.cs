using EcgClip.Core.Abstractions;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// A linear probe fitted by <see cref="LinearProbe.Fit"/>: the training-split standardiser and the linear model at the
/// L2 strength chosen on validation, with the validation curve that chose it. Immutable and thread-safe.
/// </summary>
public sealed class FittedLinearProbe
{
    private readonly Standardizer _scaler;
    private readonly double[] _theta;
    private readonly double?[] _constant;

    internal FittedLinearProbe(TaskKind kind, IReadOnlyList<string> names, Standardizer scaler, double[] theta, double?[] constant,
        double strength, string strengthName, IReadOnlyList<ValidationPoint> curve, int trainRows)
    {
        Kind = kind;
        OutputNames = names;
        _scaler = scaler;
        _theta = theta;
        _constant = constant;
        SelectedStrength = strength;
        StrengthName = strengthName;
        ValidationCurve = curve;
        TrainingRows = trainRows;
    }

    /// <summary>Task kind.</summary>
    public TaskKind Kind { get; }

    /// <summary>Output names in column order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>The chosen grid value: C (logistic) or α (ridge).</summary>
    public double SelectedStrength { get; }

    /// <summary>The rule that picked <see cref="SelectedStrength"/> from <see cref="ValidationCurve"/>.</summary>
    public ProbeSelection Selection { get; init; }

    /// <summary>The bootstrap standard error of the best validation score that <see cref="ProbeSelection.OneStandardError"/>
    /// used; NaN for <see cref="ProbeSelection.Best"/>.</summary>
    public double SelectionStandardError { get; init; } = double.NaN;

    /// <summary>The grid value with the best validation score (equal to <see cref="SelectedStrength"/> under <see cref="ProbeSelection.Best"/>).</summary>
    public double BestStrength { get; init; } = double.NaN;

    /// <summary>"C" for logistic probes, "alpha" for ridge probes.</summary>
    public string StrengthName { get; }

    /// <summary>Validation criterion per grid value, in the order searched.</summary>
    public IReadOnlyList<ValidationPoint> ValidationCurve { get; }

    /// <summary>Number of training rows the probe was fitted on.</summary>
    public int TrainingRows { get; }

    /// <summary>Embedding width the probe expects.</summary>
    public int InputWidth => _scaler.Mean.Length;

    /// <summary>Outputs whose training labels held one class: they predict that class's indicator (0 or 1) everywhere.</summary>
    public IReadOnlyList<string> ConstantOutputs =>
        Enumerable.Range(0, _constant.Length).Where(t => _constant[t] is not null).Select(t => OutputNames[t]).ToArray();

    /// <summary>
    /// Coefficients in the standardised feature space, row-major <c>[outputs, d + 1]</c> (weights, then intercept);
    /// zeros for <see cref="ConstantOutputs"/>.
    /// </summary>
    public ReadOnlySpan<double> StandardizedCoefficients => _theta;

    /// <summary>
    /// Coefficients in the raw embedding space, row-major <c>[outputs, d + 1]</c> (weights, then intercept), so that the
    /// logit (or regression value) of output t is wₜ·x + bₜ on an unstandardised embedding x: the standardiser folded
    /// in (wₜ = w′ₜ / scale, bₜ = b′ₜ − Σ w′ₜ·mean / scale). Constant outputs get zero weights and a bias of ∓40
    /// (sigmoid 4·10⁻¹⁸ or 1 − 4·10⁻¹⁸).
    /// </summary>
    public double[] RawCoefficients()
    {
        int d = InputWidth, m1 = d + 1, outputs = OutputNames.Count;
        var raw = new double[outputs * m1];
        for (int t = 0; t < outputs; t++)
        {
            if (_constant[t] is double c)
            {
                raw[t * m1 + d] = c == 0 ? -40 : 40;
                continue;
            }
            double bias = _theta[t * m1 + d];
            for (int j = 0; j < d; j++)
            {
                double w = _theta[t * m1 + j] / _scaler.Scale[j];
                raw[t * m1 + j] = w;
                bias -= w * _scaler.Mean[j];
            }
            raw[t * m1 + d] = bias;
        }
        return raw;
    }

    /// <summary>
    /// Predictions for <paramref name="embeddings"/>, row-major <c>[n, outputs]</c>: probabilities (sigmoid per output;
    /// softmax over classes for multiclass) or regression values in target units.
    /// </summary>
    /// <exception cref="ArgumentException">Embeddings of another width.</exception>
    public double[] Predict(FeatureMatrix embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        return Predict(_scaler.Transform(embeddings));
    }

    /// <summary>Scores a split (the test split, once, after selection) and pairs the predictions with its truth.</summary>
    /// <exception cref="ArgumentException">Targets of another kind or output names.</exception>
    public ProbeScores Score(ProbeSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.Targets.Kind != Kind || !split.Targets.Names.SequenceEqual(OutputNames))
            throw new ArgumentException("the split's targets differ in kind or output names from the probe's");
        return new ProbeScores(Kind, OutputNames, split.Rows, split.Targets.Values.ToArray(), Predict(split.Embeddings), split.PatientIds);
    }

    internal double[] Predict(DesignMatrix x)
    {
        int n = x.Rows, d = x.Columns, outputs = OutputNames.Count, m1 = d + 1;
        var result = new double[n * outputs];
        var z = new double[n * outputs];
        for (int t = 0; t < outputs; t++)
            x.Multiply(_theta.AsSpan(t * m1, d), _theta[t * m1 + d], z.AsSpan(t * n, n));
        if (Kind == TaskKind.Multiclass)
        {
            var p = new double[z.Length];
            MultinomialLogisticSolver.Softmax(z, outputs, n, p);
            for (int t = 0; t < outputs; t++)
                for (int i = 0; i < n; i++) result[i * outputs + t] = p[t * n + i];
            return result;
        }
        for (int t = 0; t < outputs; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double v = z[t * n + i];
                result[i * outputs + t] = _constant[t] ?? (Kind == TaskKind.Regression ? v : BinaryLogisticSolver.Sigmoid(v));
            }
        }
        return result;
    }
}
