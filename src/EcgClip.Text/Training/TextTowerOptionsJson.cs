using System.Text.Json;
using System.Text.Json.Serialization;
using EcgClip.Core.Models;

namespace EcgClip.Text.Training;

/// <summary>
/// Reads a text tower's <c>text.options</c> object (camelCase, enums as camelCase strings, unknown fields refused), the
/// one JSON policy of both text tower builders. A malformed object is bad input naming the file and the field.
/// </summary>
internal static class TextTowerOptionsJson
{
    /// <summary>The serializer options used to read and write <c>text.options</c>.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Deserialises <paramref name="options"/> as <typeparamref name="T"/>; a missing or non-object value gives <c>new T()</c>.</summary>
    /// <exception cref="ModelConfigException">The object does not match <typeparamref name="T"/> (names <paramref name="source"/> and the field).</exception>
    public static T Parse<T>(JsonElement? options, string source) where T : new()
    {
        try
        {
            return options is { ValueKind: JsonValueKind.Object } o ? o.Deserialize<T>(Options) ?? new T() : new T();
        }
        catch (JsonException ex)
        {
            throw new ModelConfigException(source, [$"text.options{(string.IsNullOrEmpty(ex.Path) ? "" : ex.Path.TrimStart('$'))}: {ex.Message.Split(" Path:")[0]}"], ex);
        }
    }
}
