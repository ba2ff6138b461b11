namespace EcgClip.Eval.Protocols;

/// <summary>One fine-tuning run.</summary>
/// <param name="Test">Test truth and predictions of the weights of <paramref name="BestEpoch"/>, scored once.</param>
/// <param name="BestEpoch">The epoch (1-based) with the lowest validation loss, whose weights were kept.</param>
/// <param name="ValidationCurve">Per epoch: <see cref="ValidationPoint.Strength"/> = epoch, <see cref="ValidationPoint.Score"/> =
/// mean validation loss, <see cref="ValidationPoint.Iterations"/> = optimiser steps so far.</param>
/// <param name="StoppedEarly">Whether training stopped before the last epoch (patience exhausted).</param>
public sealed record FineTuneResult(ProbeScores Test, int BestEpoch, IReadOnlyList<ValidationPoint> ValidationCurve, bool StoppedEarly);
