using System.Text;

namespace EcgClip.Text.Tokenization;

/// <summary>
/// A WordPiece vocabulary in the standard <c>vocab.txt</c> layout: one token per line, the line number is the id,
/// <c>##</c> marks a word-continuation piece. Loading validates the file so that <c>BertTokenizer</c> never sees
/// a malformed one.
/// </summary>
public sealed class WordPieceVocabulary
{
    /// <summary>The special tokens every EcgClip vocabulary starts with, in id order: [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4.</summary>
    public static IReadOnlyList<string> DefaultSpecialTokens { get; } = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>The word-continuation prefix.</summary>
    public const string ContinuationPrefix = "##";

    private readonly Dictionary<string, int> _ids;

    /// <summary>
    /// Wraps a token list (index = id); throws <see cref="InvalidDataException"/> for duplicates (Hugging Face would
    /// silently let the last one win, BertTokenizer would throw a bare "same key" error), empty tokens, or missing
    /// special tokens.
    /// </summary>
    public WordPieceVocabulary(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Tokens = tokens.ToArray();
        _ids = new Dictionary<string, int>(Tokens.Count, StringComparer.Ordinal);
        var duplicates = new List<string>();
        var problems = new List<string>();
        for (int i = 0; i < Tokens.Count; i++)
        {
            string t = Tokens[i];
            if (t.Length == 0) problems.Add($"line {i + 1}: empty token");
            else if (!_ids.TryAdd(t, i)) duplicates.Add($"'{t}' (lines {_ids[t] + 1} and {i + 1})");
        }
        if (duplicates.Count > 0)
            throw new InvalidDataException($"vocabulary has {duplicates.Count} duplicate token(s): {string.Join(", ", duplicates.Take(10))}{(duplicates.Count > 10 ? ", …" : "")}");
        if (problems.Count > 0)
            throw new InvalidDataException($"vocabulary has {problems.Count} invalid line(s): {string.Join("; ", problems.Take(10))}");
        var missing = DefaultSpecialTokens.Where(s => !_ids.ContainsKey(s)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"vocabulary lacks the special token(s) {string.Join(", ", missing)}");
    }

    /// <summary>Tokens in id order.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Number of entries.</summary>
    public int Count => Tokens.Count;

    /// <summary>The id of <paramref name="token"/>, or -1.</summary>
    public int IdOf(string token) => _ids.TryGetValue(token, out int id) ? id : -1;

    /// <summary>
    /// Loads and validates a <c>vocab.txt</c> (strict UTF-8; a trailing newline is optional; Windows line ends
    /// accepted). Throws <see cref="InvalidDataException"/> for invalid UTF-8, duplicates (listing them with line
    /// numbers), blank lines or missing special tokens; <see cref="FileNotFoundException"/> when absent.
    /// </summary>
    public static WordPieceVocabulary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"vocabulary file not found: {path}", path);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"vocabulary {path} is not valid UTF-8: {ex.Message}", ex);
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var lines = text.Split('\n');
        int count = lines.Length;
        if (count > 0 && lines[^1].Length == 0) count--;
        var tokens = new string[count];
        for (int i = 0; i < count; i++) tokens[i] = lines[i].TrimEnd('\r');
        try
        {
            return new WordPieceVocabulary(tokens);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the vocabulary as UTF-8 (no BOM), one token per line, <c>\n</c> line ends.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllText(path, ToText(), new UTF8Encoding(false));
    }

    /// <summary>The <c>vocab.txt</c> contents.</summary>
    public string ToText()
    {
        var sb = new StringBuilder(Tokens.Count * 8);
        foreach (var t in Tokens) sb.Append(t).Append('\n');
        return sb.ToString();
    }
}
