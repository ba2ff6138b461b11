using EcgClip.Core.Abstractions;
using EcgClip.Core.Heads;
using EcgClip.Signal.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Full fine-tuning: the encoder and a fresh <see cref="LinearTaskHead"/> trained end to end with AdamW (sigmoid + BCE
/// for binary/multi-label, softmax + CE for multiclass, MSE on standardised targets for regression). After each epoch
/// the mean validation loss is measured (evaluation mode, no autograd); the weights of the best epoch are kept and
/// training stops after <see cref="FineTuneOptions.Patience"/> epochs without improvement. The test split is scored
/// once, with the kept weights, after training.
/// </summary>
/// <remarks>
/// Only the training split enters the optimiser and only the validation split enters early stopping: <see cref="Run"/>
/// refuses splits with the wrong tags. The encoder's weights, buffers and training flag are restored when the run ends,
/// so several runs (fractions × seeds) start from the same weights.
/// </remarks>
public sealed class FineTuner
{
    /// <summary>Fine-tunes <paramref name="encoder"/> on <paramref name="train"/>, stops on <paramref name="validation"/>, scores <paramref name="test"/>.</summary>
    /// <exception cref="ArgumentException">Splits with the wrong tags, mismatched targets or input shapes, or invalid options.</exception>
    public FineTuneResult Run(IEcgEncoder encoder, FineTuneSplit train, FineTuneSplit validation, FineTuneSplit test, FineTuneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        options ??= new FineTuneOptions();
        options.Validate();
        if (train.Split != DatasetSplit.Train) throw new ArgumentException($"fine-tuning trains on the training split only; got a split tagged {train.Split}", nameof(train));
        if (validation.Split != DatasetSplit.Validation) throw new ArgumentException($"early stopping uses the validation split only; got a split tagged {validation.Split}", nameof(validation));
        if (test.Split != DatasetSplit.Test) throw new ArgumentException($"the test split must be tagged Test, got {test.Split}", nameof(test));
        foreach (var s in new[] { validation, test })
        {
            if (s.Targets.Kind != train.Targets.Kind || !s.Targets.Names.SequenceEqual(train.Targets.Names))
                throw new ArgumentException($"{s.Split} targets differ in kind or output names from the training targets");
            if (s.Leads != train.Leads || s.Samples != train.Samples)
                throw new ArgumentException($"{s.Split} inputs are {s.Leads} × {s.Samples}, training inputs {train.Leads} × {train.Samples}");
        }

        var module = encoder.Module;
        bool wasTraining = module.training;
        var initial = Snapshot(module);
        var device = EmbeddingCache.DeviceOf(module);
        var kind = train.Targets.Kind;
        var scale = TargetScale.Of(train.Targets);
        torch.manual_seed(options.Seed);
        using var head = new LinearTaskHead(kind, encoder.OutputDim, train.Targets.Outputs);
        if (device.type != DeviceType.CPU) head.to(device);
        var parameters = module.parameters().Concat(head.parameters()).ToArray();
        using var optimizer = optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay);
        var rng = new Random(unchecked((int)options.Seed));
        var curve = new List<ValidationPoint>();
        Dictionary<string, Tensor>? bestEncoder = null, bestHead = null;
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, steps = 0, sinceBest = 0;
        bool stoppedEarly = false;
        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                module.train();
                head.train();
                var order = Enumerable.Range(0, train.Rows).OrderBy(_ => rng.Next()).ToArray();
                for (int start = 0; start < order.Length; start += options.BatchSize)
                {
                    int count = Math.Min(options.BatchSize, order.Length - start);
                    if (count < 2 && order.Length >= 2) continue; // BatchNorm needs two rows in training mode
                    using var scope = NewDisposeScope();
                    var rows = order.AsSpan(start, count).ToArray();
                    var (x, y) = Batch(train, rows, scale, device);
                    var loss = head.Loss(head.Forward(encoder.Encode(x)), y);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    steps++;
                }
                double valLoss = MeanLoss(encoder, head, validation, scale, device, options.BatchSize);
                curve.Add(new ValidationPoint(epoch, valLoss, steps));
                if (valLoss < bestLoss)
                {
                    bestLoss = valLoss;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    Dispose(bestEncoder);
                    Dispose(bestHead);
                    bestEncoder = Snapshot(module);
                    bestHead = Snapshot(head);
                }
                else if (++sinceBest >= options.Patience)
                {
                    stoppedEarly = epoch < options.Epochs;
                    break;
                }
            }
            if (bestEncoder is not null)
            {
                module.load_state_dict(bestEncoder);
                head.load_state_dict(bestHead!);
            }
            var scores = Predict(encoder, head, test, scale, device, options.BatchSize);
            return new FineTuneResult(scores, bestEpoch, curve, stoppedEarly);
        }
        finally
        {
            module.load_state_dict(initial);
            module.train(wasTraining);
            Dispose(initial);
            Dispose(bestEncoder);
            Dispose(bestHead);
        }
    }

    private static (Tensor X, Tensor Y) Batch(FineTuneSplit split, int[] rows, TargetScale scale, Device device)
    {
        int per = split.Leads * split.Samples, outputs = split.Targets.Outputs;
        var x = new float[rows.Length * per];
        for (int i = 0; i < rows.Length; i++) split.Inputs.AsSpan(rows[i] * per, per).CopyTo(x.AsSpan(i * per, per));
        var xt = tensor(x, [rows.Length, split.Leads, split.Samples]).to(device);
        Tensor yt;
        if (split.Targets.Kind == TaskKind.Multiclass)
        {
            var c = new long[rows.Length];
            for (int i = 0; i < rows.Length; i++)
                for (int k = 0; k < outputs; k++) if (split.Targets[rows[i], k] == 1) c[i] = k;
            yt = tensor(c).to(device);
        }
        else
        {
            var y = new float[rows.Length * outputs];
            for (int i = 0; i < rows.Length; i++)
                for (int k = 0; k < outputs; k++) y[i * outputs + k] = (float)scale.Forward(k, split.Targets[rows[i], k]);
            yt = tensor(y, [rows.Length, outputs]).to(device);
        }
        return (xt, yt);
    }

    private static double MeanLoss(IEcgEncoder encoder, LinearTaskHead head, FineTuneSplit split, TargetScale scale, Device device, int batchSize)
    {
        encoder.Module.eval();
        head.eval();
        using var noGrad = no_grad();
        double sum = 0;
        for (int start = 0; start < split.Rows; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(start, Math.Min(batchSize, split.Rows - start)).ToArray();
            var (x, y) = Batch(split, rows, scale, device);
            sum += head.Loss(head.Forward(encoder.Encode(x)), y).item<float>() * rows.Length;
        }
        return sum / split.Rows;
    }

    private static ProbeScores Predict(IEcgEncoder encoder, LinearTaskHead head, FineTuneSplit split, TargetScale scale, Device device, int batchSize)
    {
        encoder.Module.eval();
        head.eval();
        using var noGrad = no_grad();
        int outputs = split.Targets.Outputs;
        var scores = new double[split.Rows * outputs];
        for (int start = 0; start < split.Rows; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(start, Math.Min(batchSize, split.Rows - start)).ToArray();
            var (x, _) = Batch(split, rows, scale, device);
            var p = head.Predict(encoder.Encode(x)).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int i = 0; i < rows.Length; i++)
                for (int k = 0; k < outputs; k++) scores[(start + i) * outputs + k] = scale.Inverse(k, p[i * outputs + k]);
        }
        return new ProbeScores(split.Targets.Kind, split.Targets.Names, split.Rows, split.Targets.Values.ToArray(), scores, split.PatientIds);
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module module)
    {
        using var noGrad = no_grad();
        return module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    private static void Dispose(Dictionary<string, Tensor>? state)
    {
        if (state is null) return;
        foreach (var t in state.Values) t.Dispose();
    }

    /// <summary>Standardisation of regression targets (training mean and sd); identity for classification.</summary>
    private sealed record TargetScale(double[] Mean, double[] Sd)
    {
        public static TargetScale Of(ProbeTargets targets)
        {
            int k = targets.Outputs;
            var mean = new double[k];
            var sd = Enumerable.Repeat(1.0, k).ToArray();
            if (targets.Kind != TaskKind.Regression) return new TargetScale(mean, sd);
            for (int t = 0; t < k; t++)
            {
                double s = 0, s2 = 0;
                for (int i = 0; i < targets.Rows; i++) s += targets[i, t];
                mean[t] = s / targets.Rows;
                for (int i = 0; i < targets.Rows; i++) s2 += (targets[i, t] - mean[t]) * (targets[i, t] - mean[t]);
                double v = Math.Sqrt(s2 / Math.Max(1, targets.Rows - 1));
                sd[t] = v > 0 ? v : 1;
            }
            return new TargetScale(mean, sd);
        }

        public double Forward(int k, double value) => (value - Mean[k]) / Sd[k];

        public double Inverse(int k, double value) => value * Sd[k] + Mean[k];
    }
}
