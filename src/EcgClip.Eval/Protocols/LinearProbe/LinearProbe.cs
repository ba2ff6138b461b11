using EcgClip.Core.Abstractions;
using EcgClip.Eval.Metrics;
using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// The linear probe on cached embeddings: features standardised on the training split, then one-vs-rest
/// L2-regularised logistic regression (binary, multi-label), multinomial logistic regression (multiclass) or ridge
/// regression (continuous targets), each solved exactly in float64 (scikit-learn's <c>StandardScaler</c> +
/// <c>LogisticRegression(C, solver="lbfgs")</c> / <c>Ridge(alpha)</c> optimum).
/// </summary>
/// <remarks>
/// <para>Model selection sees the training and validation splits only: every grid value is fitted on the training
/// rows and scored on the validation rows; the returned probe is the training fit at the best value. Validation rows
/// never enter a fit, and <see cref="Fit"/> refuses a split tagged <see cref="DatasetSplit.Test"/>: the test split is
/// scored afterwards, once, by <see cref="FittedLinearProbe.Score"/>.</para>
/// <para>An output whose training labels hold a single class cannot be fitted (its intercept would diverge); it
/// predicts its training prevalence (0 or 1) everywhere and is listed in <see cref="FittedLinearProbe.ConstantOutputs"/>.</para>
/// <para>Grid values are fitted from strong to weak regularisation, each warm-started from the previous solution;
/// that changes the iterations, not the optimum (the objectives are strictly convex).</para>
/// </remarks>
public sealed class LinearProbe
{
    /// <summary>Fits the probe on <paramref name="train"/>, choosing the L2 strength on <paramref name="validation"/>.</summary>
    /// <exception cref="ArgumentException">Splits with the wrong tags, different widths or kinds or output names, a
    /// multiclass training split missing a class, or invalid options.</exception>
    public FittedLinearProbe Fit(ProbeSplit train, ProbeSplit validation, LinearProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        options ??= new LinearProbeOptions();
        options.Validate();
        if (train.Split != DatasetSplit.Train) throw new ArgumentException($"the training split must be tagged Train, got {train.Split}", nameof(train));
        if (validation.Split != DatasetSplit.Validation)
            throw new ArgumentException($"model selection uses the validation split only; got a split tagged {validation.Split}", nameof(validation));
        if (train.Embeddings.Columns != validation.Embeddings.Columns)
            throw new ArgumentException($"embedding widths differ: train {train.Embeddings.Columns}, validation {validation.Embeddings.Columns}");
        if (train.Targets.Kind != validation.Targets.Kind || !train.Targets.Names.SequenceEqual(validation.Targets.Names))
            throw new ArgumentException("train and validation targets differ in kind or output names");

        var scaler = Standardizer.Fit(train.Embeddings);
        var xTrain = scaler.Transform(train.Embeddings);
        var xVal = scaler.Transform(validation.Embeddings);
        return train.Targets.Kind switch
        {
            TaskKind.Regression => FitRidge(scaler, xTrain, xVal, train, validation, options),
            TaskKind.Multiclass => FitMultinomial(scaler, xTrain, xVal, train, validation, options),
            _ => FitOneVsRest(scaler, xTrain, xVal, train, validation, options),
        };
    }

    private static FittedLinearProbe FitOneVsRest(Standardizer scaler, DesignMatrix xTrain, DesignMatrix xVal, ProbeSplit train, ProbeSplit validation, LinearProbeOptions options)
    {
        int outputs = train.Targets.Outputs, d = xTrain.Columns;
        var columns = new double[outputs][];
        var constant = new double?[outputs];
        var values = train.Targets.Values.ToArray();
        for (int t = 0; t < outputs; t++)
        {
            columns[t] = ProbeScores.Column(values, train.Rows, outputs, t);
            double positives = columns[t].Sum();
            if (positives == 0) constant[t] = 0;
            else if (positives == train.Rows) constant[t] = 1;
        }
        var grid = options.InverseRegularization.Order().ToArray();
        var curve = new List<ValidationPoint>();
        var fits = new double[grid.Length][];
        var valScores = new double[grid.Length][];
        double[]? previous = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism <= 0 ? -1 : options.MaxDegreeOfParallelism };
        for (int g = 0; g < grid.Length; g++) // from strong (optimum near 0) to weak, each warm-started from the last
        {
            var theta = new double[outputs * (d + 1)];
            var iterations = new int[outputs];
            double c = grid[g];
            var warm = previous;
            Parallel.For(0, outputs, parallel, t =>
            {
                if (constant[t] is not null) return;
                double[]? start = warm?.AsSpan(t * (d + 1), d + 1).ToArray();
                var fit = BinaryLogisticSolver.Fit(xTrain, columns[t], c, start, options.MaxIterations, out iterations[t]);
                fit.CopyTo(theta, t * (d + 1));
            });
            fits[g] = theta;
            previous = theta;
            var model = new FittedLinearProbe(train.Targets.Kind, train.Targets.Names, scaler, theta, constant, c, "C", [], train.Rows);
            var scores = valScores[g] = model.Predict(xVal);
            curve.Add(new ValidationPoint(c, MacroAveragePrecision(validation.Targets, scores), iterations.Sum()));
        }
        int best = ProbeSelectionRule.Choose(curve, higherIsBetter: true, options, validation.Rows,
            (g, rows) => MacroAveragePrecision(validation.Targets, valScores[g], rows), out double se, out int top);
        return new FittedLinearProbe(train.Targets.Kind, train.Targets.Names, scaler, fits[best], constant, grid[best], "C", curve, train.Rows)
            { Selection = options.Selection, SelectionStandardError = se, BestStrength = grid[top] };
    }

    private static FittedLinearProbe FitMultinomial(Standardizer scaler, DesignMatrix xTrain, DesignMatrix xVal, ProbeSplit train, ProbeSplit validation, LinearProbeOptions options)
    {
        var classes = train.Targets.ClassIndices();
        int k = train.Targets.Outputs;
        var counts = new int[k];
        foreach (int c in classes) counts[c]++;
        for (int a = 0; a < k; a++)
            if (counts[a] == 0) throw new ArgumentException($"class '{train.Targets.Names[a]}' has no training sample; a multinomial probe cannot be fitted");
        var grid = options.InverseRegularization.Order().ToArray();
        var curve = new ValidationPoint[grid.Length];
        var fits = new double[grid.Length][];
        var valScores = new double[grid.Length][];
        double[]? previous = null;
        for (int g = 0; g < grid.Length; g++)
        {
            var theta = MultinomialLogisticSolver.Fit(xTrain, classes, k, grid[g], previous, options.MaxIterations, out int iterations);
            fits[g] = previous = theta;
            var model = new FittedLinearProbe(TaskKind.Multiclass, train.Targets.Names, scaler, theta, new double?[k], grid[g], "C", [], train.Rows);
            valScores[g] = model.Predict(xVal);
            curve[g] = new ValidationPoint(grid[g], MacroAveragePrecision(validation.Targets, valScores[g]), iterations);
        }
        int best = ProbeSelectionRule.Choose(curve, higherIsBetter: true, options, validation.Rows,
            (g, rows) => MacroAveragePrecision(validation.Targets, valScores[g], rows), out double se, out int top);
        return new FittedLinearProbe(TaskKind.Multiclass, train.Targets.Names, scaler, fits[best], new double?[k], grid[best], "C", curve, train.Rows)
            { Selection = options.Selection, SelectionStandardError = se, BestStrength = grid[top] };
    }

    private static FittedLinearProbe FitRidge(Standardizer scaler, DesignMatrix xTrain, DesignMatrix xVal, ProbeSplit train, ProbeSplit validation, LinearProbeOptions options)
    {
        int outputs = train.Targets.Outputs;
        var solver = new RidgeSolver(xTrain, train.Targets.Values, outputs);
        // stronger regularisation first so that ties (compared in grid order) go to the larger alpha
        var grid = options.RidgeAlphas.OrderDescending().ToArray();
        var curve = new ValidationPoint[grid.Length];
        var fits = new double[grid.Length][];
        var none = new double?[outputs];
        bool mae = options.RegressionSelection == RegressionSelection.MeanAbsoluteError;
        var truth = validation.Targets.Values.ToArray();
        var valScores = new double[grid.Length][];
        for (int g = 0; g < grid.Length; g++)
        {
            fits[g] = solver.Solve(grid[g]);
            var model = new FittedLinearProbe(TaskKind.Regression, train.Targets.Names, scaler, fits[g], none, grid[g], "alpha", [], train.Rows);
            valScores[g] = model.Predict(xVal);
            curve[g] = new ValidationPoint(grid[g], RegressionScore(truth, valScores[g], validation.Rows, outputs, mae, null), 0);
        }
        int best = ProbeSelectionRule.Choose(curve, higherIsBetter: !mae, options, validation.Rows,
            (g, rows) => RegressionScore(truth, valScores[g], validation.Rows, outputs, mae, rows), out double se, out int top);
        return new FittedLinearProbe(TaskKind.Regression, train.Targets.Names, scaler, fits[best], none, grid[best], "alpha", curve, train.Rows)
            { Selection = options.Selection, SelectionStandardError = se, BestStrength = grid[top] };
    }

    /// <summary>MAE or R² averaged over targets, on all rows or on the given (resampled) rows.</summary>
    private static double RegressionScore(double[] truth, double[] scores, int rows, int outputs, bool mae, int[]? subset)
    {
        // Called once per bootstrap resample and grid point by the selection rule: gather each output's column (of the
        // resample's rows) into two buffers reused across outputs instead of copying columns and then subsets.
        int n = subset?.Length ?? rows;
        var y = new double[n];
        var p = new double[n];
        double sum = 0;
        for (int t = 0; t < outputs; t++)
        {
            for (int i = 0; i < n; i++)
            {
                int at = (subset is null ? i : subset[i]) * outputs + t;
                y[i] = truth[at];
                p[i] = scores[at];
            }
            var m = RegressionMetrics.Compute(y, p);
            sum += mae ? m.MeanAbsoluteError : m.RSquared;
        }
        return sum / outputs;
    }

    /// <summary>Macro average precision over outputs with a positive in <paramref name="truth"/>; NaN when none has one.</summary>
    internal static double MacroAveragePrecision(ProbeTargets truth, double[] scores, int[]? rows = null)
    {
        if (rows is null)
        {
            var data = BinaryTaskData.FromRowMajor(truth.Values, scores, truth.Rows, truth.Outputs, truth.Names);
            return MetricAverages.AveragePrecision(RankingMetrics.Evaluate(data)).Value ?? double.NaN;
        }
        int k = truth.Outputs;
        var labels = new double[rows.Length * k];
        var picked = new double[rows.Length * k];
        var values = truth.Values;
        for (int i = 0; i < rows.Length; i++)
            for (int t = 0; t < k; t++)
            {
                labels[i * k + t] = values[rows[i] * k + t];
                picked[i * k + t] = scores[rows[i] * k + t];
            }
        var resampled = BinaryTaskData.FromRowMajor(labels, picked, rows.Length, k, truth.Names);
        return MetricAverages.AveragePrecision(RankingMetrics.Evaluate(resampled)).Value ?? double.NaN;
    }
}
