namespace EcgClip.Eval.Protocols;

/// <summary>One grid point of the validation search.</summary>
/// <param name="Strength">The grid value: C for logistic probes, α for ridge probes.</param>
/// <param name="Score">The validation criterion: macro PRAUC, MAE (target units) or R²; NaN when undefined.</param>
/// <param name="Iterations">Newton iterations summed over outputs (0 for the closed-form ridge).</param>
public sealed record ValidationPoint(double Strength, double Score, int Iterations);
