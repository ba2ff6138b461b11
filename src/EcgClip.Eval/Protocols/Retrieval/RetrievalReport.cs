namespace EcgClip.Eval.Protocols;

/// <summary>Recall at one cut-off with its chance level.</summary>
/// <param name="K">Cut-off (top K candidates).</param>
/// <param name="Recall">Fraction of queries whose own item is among the top K.</param>
/// <param name="Chance">Expected recall of a random ranking.</param>
public sealed record RecallAtK(int K, double Recall, double Chance);

/// <summary>Retrieval scores in one direction.</summary>
/// <param name="Queries">Number of queries.</param>
/// <param name="Candidates">Number of candidates per query.</param>
/// <param name="Recall">Recall at each requested K.</param>
/// <param name="MedianRank">Median rank of the own item (1 = first; numpy median, the mean of the two middle ranks for an even count).</param>
/// <param name="MeanRank">Mean rank of the own item.</param>
public sealed record RetrievalScores(int Queries, int Candidates, IReadOnlyList<RecallAtK> Recall, double MedianRank, double MeanRank);

/// <summary>Both directions of ECG–report retrieval.</summary>
/// <param name="EcgToText">Each ECG queries the unique texts; a hit is its own text in the top K; chance = K / #unique.</param>
/// <param name="TextToEcg">Each unique text queries the ECGs; a hit is any ECG carrying that text in the top K; chance =
/// mean over texts of 1 − C(n − m, K) / C(n, K) for a text carried by m of the n ECGs.</param>
public sealed record RetrievalReport(RetrievalScores EcgToText, RetrievalScores TextToEcg);
