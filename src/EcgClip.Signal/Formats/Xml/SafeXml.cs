using System.Text;
using System.Xml;
using System.Xml.Linq;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Xml;

/// <summary>
/// Loads untrusted XML into an <see cref="XElement"/> tree safely: no external resolution (no XmlResolver), no DTD
/// internal subset (so no entity declarations, hence no entity expansion bombs and no external entities), a DOCTYPE
/// is only tolerated when it merely names a local DTD file (as GE MUSE exports do: <c>SYSTEM "restecg.dtd"</c>), and
/// the document size is bounded.
/// </summary>
internal static class SafeXml
{
    internal static XmlReaderSettings CreateSettings() => new()
    {
        DtdProcessing = DtdProcessing.Parse,      // parsed only so the DOCTYPE can be inspected and refused below
        XmlResolver = null,                        // never fetch anything (external DTD, external entities)
        MaxCharactersInDocument = XmlLimits.MaxCharactersInDocument,
        MaxCharactersFromEntities = 1,             // no entity may expand to anything (0 would mean "unlimited")
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,                  // whitespace between two comments can separate numbers
        CloseInput = false,
        ValidationType = ValidationType.None,
    };

    /// <summary>Reads the root element of <paramref name="stream"/>; throws <see cref="EcgFormatException"/> on any problem.</summary>
    public static XElement LoadRoot(Stream stream, string sourceName)
    {
        if (stream.CanSeek && stream.Length - stream.Position > XmlLimits.MaxBytes)
            throw new EcgFormatException(sourceName, $"XML document larger than {XmlLimits.MaxBytes} bytes");
        try
        {
            using var reader = SniffLegacyEncoding(stream) is { } legacy
                ? XmlReader.Create(new StreamReader(stream, legacy, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true), CreateSettings())
                : XmlReader.Create(stream, CreateSettings());
            return BuildTree(reader, sourceName);
        }
        catch (XmlException e)
        {
            throw new EcgFormatException(sourceName, $"malformed or unsafe XML: {e.Message}", e);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new EcgFormatException(sourceName, $"invalid character encoding: {e.Message}", e);
        }
        catch (ArgumentException e) // e.g. unsupported encoding name in the XML declaration
        {
            throw new EcgFormatException(sourceName, $"unreadable XML: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new EcgFormatException(sourceName, $"unreadable XML: {e.Message}", e);
        }
    }

    /// <summary>
    /// Builds the element tree iteratively (XNode.ReadFrom is quadratic in nesting depth, a denial-of-service vector),
    /// with a depth bound, text accumulated per element (linear even when split by comments), namespace declarations
    /// dropped (names keep their namespace), comments and processing instructions skipped.
    /// </summary>
    private static XElement BuildTree(XmlReader reader, string sourceName)
    {
        XElement? root = null;
        var stack = new Stack<XElement>();
        var text = new TextAccumulator();
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.DocumentType:
                    CheckDocumentType(reader, sourceName);
                    break;
                case XmlNodeType.Element:
                    {
                        if (root is not null && stack.Count == 0)
                            throw new EcgFormatException(sourceName, "content after the root element");
                        if (stack.Count >= XmlLimits.MaxDepth)
                            throw new EcgFormatException(sourceName, $"XML nested deeper than {XmlLimits.MaxDepth} elements");
                        FlushText(stack, text, childFollows: true);
                        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                        bool empty = reader.IsEmptyElement;
                        while (reader.MoveToNextAttribute())
                        {
                            if (reader.NamespaceURI == XmlnsNamespace) continue; // namespace declaration
                            var name = XName.Get(reader.LocalName, reader.NamespaceURI);
                            if (element.Attribute(name) is null) element.Add(new XAttribute(name, reader.Value));
                        }
                        reader.MoveToElement();
                        if (stack.Count > 0) stack.Peek().Add(element);
                        else root = element;
                        if (!empty) stack.Push(element);
                        break;
                    }
                case XmlNodeType.EndElement:
                    FlushText(stack, text, childFollows: false);
                    stack.Pop();
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                case XmlNodeType.Whitespace:
                    if (stack.Count > 0) text.Append(reader.Value);
                    else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
                        throw new EcgFormatException(sourceName, "text outside the root element");
                    break;
                case XmlNodeType.EntityReference:
                    throw new EcgFormatException(sourceName, "entity references are not allowed");
            }
        }
        return root ?? throw new EcgFormatException(sourceName, "no root element (empty or truncated XML)");
    }

    /// <summary>
    /// For a seekable stream without a byte-order mark whose XML declaration names an encoding .NET does not ship by
    /// default (e.g. <c>windows-1252</c>, used by some GE MUSE exports), the code-page encoding to decode it with;
    /// null otherwise (the XmlReader then handles the encoding itself). Nothing is registered globally.
    /// </summary>
    internal static Encoding? SniffLegacyEncoding(Stream stream)
    {
        if (!stream.CanSeek) return null;
        long start = stream.Position;
        Span<byte> head = stackalloc byte[256];
        int n = 0, r;
        while (n < head.Length && (r = stream.Read(head[n..])) > 0) n += r;
        stream.Position = start;
        head = head[..n];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return null;
        if (!head.StartsWith("<?xml"u8)) return null;
        int end = head.IndexOf("?>"u8);
        if (end < 0) return null;
        var decl = head[..end];
        int at = decl.IndexOf("encoding"u8);
        if (at < 0) return null;
        var rest = decl[(at + 8)..].TrimStart(" \t\r\n="u8).TrimStart(" \t\r\n"u8);
        if (rest.Length == 0 || rest[0] is not ((byte)'"' or (byte)'\'')) return null;
        int close = rest[1..].IndexOf(rest[0]);
        if (close <= 0) return null;
        string name = Encoding.ASCII.GetString(rest.Slice(1, close));
        try
        {
            Encoding.GetEncoding(name);
            return null; // supported out of the box: let the XmlReader do it
        }
        catch (ArgumentException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(name);
        }
    }

    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    /// <summary>
    /// Attaches the text collected for the open element. Whitespace-only text next to child elements is formatting
    /// and is dropped (the vendor formats have no mixed content), which keeps the tree small.
    /// </summary>
    private static void FlushText(Stack<XElement> stack, TextAccumulator text, bool childFollows)
    {
        if (text.IsEmpty) return;
        if (stack.Count > 0)
        {
            var top = stack.Peek();
            bool formatting = (childFollows || top.HasElements) && text.IsWhitespace;
            if (!formatting) top.Add(new XText(text.ToString()));
        }
        text.Clear();
    }

    /// <summary>Collects an element's text; a single chunk (the usual case) is kept without copying.</summary>
    private sealed class TextAccumulator
    {
        private string? _single;
        private StringBuilder? _multi;
        private bool _whitespace = true;

        public bool IsEmpty => _single is null && (_multi is null || _multi.Length == 0);

        public bool IsWhitespace => _whitespace;

        public void Append(string s)
        {
            if (_whitespace && !string.IsNullOrWhiteSpace(s)) _whitespace = false;
            if (_single is null && (_multi is null || _multi.Length == 0)) { _single = s; return; }
            _multi ??= new StringBuilder();
            if (_single is not null) { _multi.Append(_single); _single = null; }
            _multi.Append(s);
        }

        public override string ToString() => _single ?? _multi?.ToString() ?? "";

        public void Clear()
        {
            _single = null;
            _multi?.Clear();
            _whitespace = true;
        }
    }

    private static void CheckDocumentType(XmlReader reader, string sourceName)
    {
        // reader.Value is the internal subset: any declaration there (ENTITY, ATTLIST defaults ...) is refused.
        if (!string.IsNullOrWhiteSpace(reader.Value))
            throw new EcgFormatException(sourceName, "DOCTYPE with an internal subset (entity declarations) is not allowed");
        string? system = reader.GetAttribute("SYSTEM");
        string? pub = reader.GetAttribute("PUBLIC");
        if (pub is not null)
            throw new EcgFormatException(sourceName, $"DOCTYPE PUBLIC '{pub}' is not allowed");
        if (system is not null && !IsBareFileName(system))
            throw new EcgFormatException(sourceName, $"DOCTYPE SYSTEM '{system}' refers outside the document (only a bare DTD file name is tolerated, and never loaded)");
    }

    private static bool IsBareFileName(string s)
    {
        if (s.Length is 0 or > 64) return false;
        foreach (char c in s)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        return !s.StartsWith('.');
    }
}
