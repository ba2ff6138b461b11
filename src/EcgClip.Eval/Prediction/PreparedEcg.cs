namespace EcgClip.Eval.Prediction;

/// <summary>
/// One ECG made ready for the encoder: <see cref="Windows"/> windows of <c>[leads, samples]</c>, row-major in
/// <see cref="Data"/>, and what was done to the source record to get there (stated, never silent).
/// </summary>
/// <param name="Source">The file or record the ECG came from.</param>
/// <param name="Data">Row-major <c>[Windows, Leads, Samples]</c> float32 values after the model's preprocessing.</param>
/// <param name="Windows">Number of windows (records longer than the model's length are cut into several).</param>
/// <param name="Leads">Leads per window (the encoder's lead order).</param>
/// <param name="Samples">Samples per window (the model's input length).</param>
/// <param name="Steps">What was applied, in order (lead mapping, derived leads, unit conversion, resampling, the
/// stored preprocessing, windowing or padding).</param>
public sealed record PreparedEcg(string Source, float[] Data, int Windows, int Leads, int Samples, IReadOnlyList<string> Steps);
