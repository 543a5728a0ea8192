using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;
using Platform.Hosting;
using Platform.Messaging;

namespace Payments.Tests;

public sealed class RetentionTests(PaymentsFixture payments) : IClassFixture<PaymentsFixture>
{
    [Fact]
    public async Task Rows_past_their_time_are_deleted_and_younger_ones_kept()
    {
        var now = DateTimeOffset.UtcNow;
        var (oldKey, newKey) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var (oldEvent, newEvent) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await payments.SeedAsync<PaymentsDb>(db =>
        {
            db.IdempotencyKeys.AddRange(
                new IdempotencyRecord
                {
                    CustomerId = Guid.CreateVersion7(), Key = oldKey, Request = "r", PaymentId = Guid.CreateVersion7(), CreatedAt = now.AddDays(-8),
                },
                new IdempotencyRecord
                {
                    CustomerId = Guid.CreateVersion7(), Key = newKey, Request = "r", PaymentId = Guid.CreateVersion7(), CreatedAt = now.AddDays(-2),
                });
            db.StripeEvents.AddRange(
                new StripeEventRecord { Id = "evt_old", Type = "payment_intent.succeeded", ReceivedAt = now.AddDays(-31) },
                new StripeEventRecord { Id = "evt_new", Type = "payment_intent.succeeded", ReceivedAt = now.AddDays(-4) });
            db.Set<InboxEvent>().AddRange(
                new InboxEvent { Id = oldEvent, Type = EventTypes.ReservationCommitFailed, ProcessedAt = now.AddDays(-15) },
                new InboxEvent { Id = newEvent, Type = EventTypes.ReservationCommitFailed, ProcessedAt = now.AddDays(-5) });
            db.Set<OutboxMessage>().AddRange(
                new OutboxMessage
                {
                    Id = Guid.CreateVersion7(), Queue = "q", Type = "t", Body = "sent long ago", CreatedAt = now.AddDays(-9), SentAt = now.AddDays(-8),
                },
                new OutboxMessage { Id = Guid.CreateVersion7(), Queue = "q", Type = "t", Body = "never sent", CreatedAt = now.AddDays(-9) });
        });

        await payments.Services.GetRequiredService<RetentionWorker<PaymentsDb>>().PurgeAsync(CancellationToken.None);

        await using var scope = payments.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        Assert.Equal([newKey], await db.IdempotencyKeys.Where(k => k.Key == oldKey || k.Key == newKey).Select(k => k.Key).ToListAsync());
        Assert.Equal(["evt_new"], await db.StripeEvents.Where(e => e.Id == "evt_old" || e.Id == "evt_new").Select(e => e.Id).ToListAsync());
        Assert.Equal([newEvent], await db.Set<InboxEvent>().Where(e => e.Id == oldEvent || e.Id == newEvent).Select(e => e.Id).ToListAsync());
        Assert.Equal(["never sent"], await db.Set<OutboxMessage>().Where(m => m.Queue == "q").Select(m => m.Body).ToListAsync()); // unsent is never dropped
    }
}
