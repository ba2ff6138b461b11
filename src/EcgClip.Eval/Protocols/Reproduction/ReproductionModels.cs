namespace EcgClip.Eval.Protocols;

/// <summary>The report names of the reproduction's three models and the objectives behind them.</summary>
public static class ReproductionModels
{
    /// <summary>ECGCLIP: the CLIP-objective pretraining.</summary>
    public const string EcgClip = "ecgclip";

    /// <summary>The MERL-objective pretraining baseline.</summary>
    public const string Merl = "merl";

    /// <summary>Random initialisation of the same backbone.</summary>
    public const string Random = "random";

    /// <summary>Human-readable name for report sentences.</summary>
    public static string Display(string model) => model switch
    {
        EcgClip => "ECGCLIP",
        Merl => "the MERL objective",
        Random => "random initialisation",
        _ => model,
    };
}
