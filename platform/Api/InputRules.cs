using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Api;

/// <summary>
/// The text every route accepts, enforced once before any handler runs: no NUL character (PostgreSQL's <c>text</c>
/// cannot store U+0000) and no unpaired surrogate (not text at all) in a query value, a route value or a string of a
/// JSON body. Such a request is a 400 validation problem naming the field, so no handler or database ever sees it.
/// (ASP.NET Core's own path decoding already refuses <c>%00</c>, so through Kestrel a route value cannot hold a NUL;
/// route values are checked for any set otherwise.)
/// </summary>
public static class InputRules
{
    public const string Message = "must not contain a NUL character or an unpaired surrogate.";

    /// <summary>Adds the check; it needs the route values, so it runs after routing (implicit in a minimal API).</summary>
    public static IApplicationBuilder UseInputRules(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if ((FirstBadField(context.Request) ?? await FirstBadJsonFieldAsync(context)) is { } field)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new HttpValidationProblemDetails(new ValidationErrors().Add(field, $"{field} {Message}").ByField)
                {
                    Status = StatusCodes.Status400BadRequest,
                },
            });
            return;
        }

        await next(context);
    });

    /// <summary>True when <paramref name="text"/> holds U+0000 or a surrogate that is not half of a pair.</summary>
    public static bool IsForbidden(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return true;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string? FirstBadField(HttpRequest request)
    {
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && IsForbidden(text))
            {
                return FieldName(name);
            }
        }

        if (!request.QueryString.HasValue)
        {
            return null;
        }

        foreach (var (name, values) in request.Query)
        {
            if (IsForbidden(name))
            {
                return FieldName(name);
            }

            foreach (var value in values)
            {
                if (value is not null && IsForbidden(value))
                {
                    return FieldName(name);
                }
            }
        }

        return null;
    }

    private static async Task<string?> FirstBadJsonFieldAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength == 0 || !request.HasJsonContentType() || HttpMethods.IsGet(request.Method))
        {
            return null;
        }

        // Buffered, so the endpoint reads it again; the server's body size limit (MAX_REQUEST_BODY_BYTES) bounds it.
        request.EnableBuffering(bufferThreshold: 64 * 1024);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        request.Body.Position = 0;
        return JsonFieldWithForbiddenText(body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    /// <summary>
    /// The path (<c>name</c>, <c>address.city</c>, <c>items[2].sku</c>) of the first string or property name in
    /// <paramref name="json"/> that holds forbidden text, or null. A body without a NUL byte and without a <c>\u</c>
    /// escape cannot hold any (JSON text is UTF-8, which cannot encode a lone surrogate), and is not parsed here.
    /// Malformed JSON is left to the endpoint's binding, which answers it with its own 400.
    /// </summary>
    public static string? JsonFieldWithForbiddenText(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf((byte)0) < 0 && json.IndexOf("\\u"u8) < 0)
        {
            return null;
        }

        // A first pass allocates nothing; only hostile text pays for a second one that follows the path.
        return Scan(json, path: null) ? PathOfForbiddenText(json) : null;
    }

    private static string PathOfForbiddenText(ReadOnlySpan<byte> json)
    {
        var path = new JsonPath();
        Scan(json, path);
        return path.ToString();
    }

    // True when a string or a property name holds forbidden text; path, when given, is left where it is.
    private static bool Scan(ReadOnlySpan<byte> json, JsonPath? path)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        path?.Enter(reader.TokenType == JsonTokenType.StartArray);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path?.Leave();
                        break;
                    case JsonTokenType.PropertyName:
                        var nameIsAllowed = !reader.ValueIsEscaped || IsAllowed(ref reader);
                        path?.Property(Text(ref reader));
                        if (!nameIsAllowed)
                        {
                            return true;
                        }

                        continue;
                    case JsonTokenType.String when reader.ValueIsEscaped && !IsAllowed(ref reader):
                        return true;
                }

                path?.ValueRead(reader.TokenType);
            }
        }
        catch (JsonException)
        {
            // Malformed: the endpoint's binding answers it.
        }

        return false;
    }

    // Unescaped into a buffer on the stack (or a pooled one for long strings), so checking allocates nothing.
    private static bool IsAllowed(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        char[]? rented = null;
        var buffer = length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            return !IsForbidden(buffer[..reader.CopyString(buffer)]);
        }
        catch (InvalidOperationException)
        {
            return false; // an escaped lone surrogate: System.Text.Json cannot even decode it
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static string Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return "\uFFFD";
        }
    }

    // Echoed in the response as a key: control characters and lone surrogates are shown as U+FFFD.
    private static string FieldName(string name)
    {
        if (!IsForbidden(name) && !name.Any(char.IsControl))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                builder.Append(c).Append(name[++i]);
            }
            else
            {
                builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Where the reader is, as a field path: properties joined by dots, array items by index.</summary>
    private sealed class JsonPath
    {
        private readonly List<Frame> _frames = [];

        public void Enter(bool array)
        {
            _frames.Add(new Frame(array));
        }

        public void Leave()
        {
            _frames.RemoveAt(_frames.Count - 1);
            Advance();
        }

        public void Property(string name)
        {
            if (_frames.Count > 0)
            {
                _frames[^1].Name = name;
            }
        }

        public void ValueRead(JsonTokenType token)
        {
            if (token is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                Advance();
            }
        }

        public override string ToString()
        {
            var builder = new StringBuilder();
            foreach (var frame in _frames)
            {
                if (frame.Array)
                {
                    builder.Append('[').Append(frame.Index).Append(']');
                }
                else if (frame.Name is { } name)
                {
                    if (builder.Length > 0)
                    {
                        builder.Append('.');
                    }

                    builder.Append(FieldName(name));
                }
            }

            return builder.Length == 0 ? "body" : builder.ToString();
        }

        // A value of an array was read: the next one has the next index.
        private void Advance()
        {
            if (_frames.Count > 0 && _frames[^1].Array)
            {
                _frames[^1].Index++;
            }
        }

        private sealed class Frame(bool array)
        {
            public bool Array { get; } = array;

            public int Index { get; set; }

            public string? Name { get; set; }
        }
    }
}
