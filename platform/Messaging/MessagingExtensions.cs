using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Platform.Aws;
using Platform.Hosting;

namespace Platform.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// Consumes the queue named by <paramref name="queueVariable"/> with <typeparamref name="TProcessor"/>, which records
    /// handled events in <typeparamref name="TContext"/>'s inbox (kept 14 days), and makes readiness depend on the queue.
    /// </summary>
    public static IHostApplicationBuilder AddEventConsumer<TProcessor, TContext>(this IHostApplicationBuilder builder, string queueVariable)
        where TProcessor : class, IEventProcessor
        where TContext : DbContext
    {
        builder.AddSqsQueue(queueVariable);
        builder.Services.TryAddSingleton<QueueUrls>();
        builder.Services.TryAddSingleton<EventMetrics>();
        builder.Services.AddScoped<TProcessor>();
        // Longer than SQS keeps a message (4 days), so any redelivery still finds its event here.
        builder.AddRetention(new RetentionRule<TContext>("handled events", TimeSpan.FromDays(14),
            (db, cutoff, ct) => db.Set<InboxEvent>().Where(e => e.ProcessedAt < cutoff).ExecuteDeleteAsync(ct)));
        var queue = builder.Configuration[queueVariable] ?? "";
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<SqsEventConsumer<TProcessor>>(services, queue));
        return builder;
    }

    /// <summary>Relays <typeparamref name="TContext"/>'s outbox to SQS (its model must call <see cref="MessagingTables.AddMessagingTables"/>).</summary>
    public static IHostApplicationBuilder AddOutboxRelay<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.Services.TryAddSingleton<QueueUrls>();
        builder.AddRetention(new RetentionRule<TContext>("sent messages", TimeSpan.FromDays(7),
            (db, cutoff, ct) => db.Set<OutboxMessage>().Where(m => m.SentAt < cutoff).ExecuteDeleteAsync(ct)));
        builder.Services.AddSingleton<OutboxRelay<TContext>>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxRelay<TContext>>());
        return builder;
    }
}
