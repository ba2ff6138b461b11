namespace EcgClip.Eval;
