using System.Text.Json;

namespace TestSupport;

/// <summary>The JSON log lines of the stack's processes, which <c>./dev test</c> writes to <c>STACK_LOGS/&lt;process&gt;.log</c>.</summary>
public static class StackLogs
{
    /// <summary>
    /// The first line of <paramref name="process"/>'s logs (any instance's) whose message starts with
    /// <paramref name="message"/>, once it is written.
    /// </summary>
    public static async Task<JsonElement> LineAsync(string process, string message)
    {
        var logs = Environment.GetEnvironmentVariable("STACK_LOGS") ?? throw new InvalidOperationException("STACK_LOGS is not set.");
        JsonElement? found = null;
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var file in Directory.GetFiles(logs, $"{process}*.log"))
            {
                // Shared: the process is still writing it.
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (Entry(line) is { } entry
                        && entry.TryGetProperty("Message", out var text) && text.GetString()!.StartsWith(message, StringComparison.Ordinal))
                    {
                        found = entry;
                        return true;
                    }
                }
            }

            return false;
        }, $"{process} logging \"{message}\"");
        return found!.Value;
    }

    // A line being written may be read half-written: it is read whole on the next look.
    private static JsonElement? Entry(string line)
    {
        try
        {
            return line.StartsWith('{') ? JsonSerializer.Deserialize<JsonElement>(line) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The trace id a JSON log line was written in (from its scopes).</summary>
    public static string? TraceIdOf(JsonElement line) =>
        line.GetProperty("Scopes").EnumerateArray()
            .Select(scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) ? id.GetString() : null)
            .FirstOrDefault(id => id is not null);
}
