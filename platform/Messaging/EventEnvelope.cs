using System.Text.Json;
using Platform.Api;

namespace Platform.Messaging;

/// <summary>
/// Every event on a queue: <c>{ id, type, occurredAt, source, data }</c>. Delivery is at least once, so consumers
/// handle each <see cref="Id"/> once.
/// </summary>
public sealed record EventEnvelope(Guid Id, string Type, DateTimeOffset OccurredAt, string Source, JsonElement Data)
{
    public static readonly JsonSerializerOptions Json = ApiJson.Options;

    public static EventEnvelope Create<TData>(string type, string source, TData data, DateTimeOffset occurredAt) =>
        new(Guid.CreateVersion7(), type, occurredAt, source, JsonSerializer.SerializeToElement(data, Json));

    /// <summary>The data as <typeparamref name="TData"/>; a missing or malformed payload throws, and the message is retried and then dead-lettered.</summary>
    public TData DataAs<TData>() => Data.Deserialize<TData>(Json) ?? throw new JsonException($"{Type} {Id} has no data.");
}
