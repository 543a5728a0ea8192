using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Platform.Aws;

namespace Platform.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// Consumes the queue named by <paramref name="queueVariable"/> with <typeparamref name="TProcessor"/> (and makes
    /// readiness depend on the queue).
    /// </summary>
    public static IHostApplicationBuilder AddEventConsumer<TProcessor>(this IHostApplicationBuilder builder, string queueVariable)
        where TProcessor : class, IEventProcessor
    {
        builder.AddSqsQueue(queueVariable);
        builder.Services.TryAddSingleton<QueueUrls>();
        builder.Services.AddScoped<TProcessor>();
        var queue = builder.Configuration[queueVariable] ?? "";
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<SqsEventConsumer<TProcessor>>(services, queue));
        return builder;
    }

    /// <summary>Relays <typeparamref name="TContext"/>'s outbox to SQS (its model must call <see cref="MessagingTables.AddMessagingTables"/>).</summary>
    public static IHostApplicationBuilder AddOutboxRelay<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.Services.TryAddSingleton<QueueUrls>();
        builder.Services.AddSingleton<OutboxRelay<TContext>>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxRelay<TContext>>());
        return builder;
    }
}
