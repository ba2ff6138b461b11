namespace EcgClip.Text.Encoders;

/// <summary>How a text tower turns per-token states <c>[batch, tokens, hidden]</c> into one vector per report.</summary>
public enum TextPooling
{
    /// <summary>The final hidden state of the first token (<c>[CLS]</c>).</summary>
    Cls,
    /// <summary>BERT's pooler: <c>tanh(W · h[CLS] + b)</c> (BERT encoder only; needs <c>pooler.dense</c> weights).</summary>
    Pooler,
    /// <summary>Mean of the final hidden states over the tokens where the attention mask is 1.</summary>
    Mean,
}
