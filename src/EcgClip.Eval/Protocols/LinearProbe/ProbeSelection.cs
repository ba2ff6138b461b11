namespace EcgClip.Eval.Protocols;

/// <summary>How <see cref="LinearProbe"/> picks the L2 strength from the validation curve.</summary>
public enum ProbeSelection
{
    /// <summary>The best validation score (ties go to the stronger regularisation). The evaluation protocol's rule.</summary>
    Best,

    /// <summary>
    /// The one-standard-error rule (Breiman et al. 1984; glmnet's <c>lambda.1se</c>): the strongest regularisation whose
    /// validation score is within one standard error of the best, the standard error estimated by a seeded bootstrap of
    /// the validation rows at the best value. Gives smaller weights at no measurable loss of validation score, so a
    /// deployed head is less sensitive to small input differences (e.g. the same ECG exported by two systems).
    /// </summary>
    OneStandardError,
}
