namespace EcgClip.Eval.Prediction;

/// <summary>Which attribution an explanation uses.</summary>
public enum SaliencyMethod
{
    /// <summary>Integrated gradients from a zero (flat-line) baseline.</summary>
    IntegratedGradients,
    /// <summary>Grad-CAM on the encoder's last feature map (one row over time, shared by the leads).</summary>
    GradCam,
    /// <summary>The plain input gradient.</summary>
    Gradient,
    /// <summary>Gradient × input.</summary>
    GradientTimesInput,
}

/// <summary>Parsing of <see cref="SaliencyMethod"/> names as the CLI takes them: ig, gradcam, gradient, gxi.</summary>
public static class SaliencyMethods
{
    /// <summary>The accepted names.</summary>
    public const string Names = "ig, gradcam, gradient, gxi";

    /// <summary>Parses a method name (case-insensitive).</summary>
    public static bool TryParse(string? text, out SaliencyMethod method)
    {
        method = SaliencyMethod.IntegratedGradients;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "ig" or "integrated-gradients": method = SaliencyMethod.IntegratedGradients; return true;
            case "gradcam" or "grad-cam": method = SaliencyMethod.GradCam; return true;
            case "gradient" or "grad": method = SaliencyMethod.Gradient; return true;
            case "gxi" or "gradient-x-input": method = SaliencyMethod.GradientTimesInput; return true;
            default: return false;
        }
    }
}
