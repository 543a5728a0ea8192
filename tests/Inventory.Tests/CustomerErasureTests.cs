using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Messaging;
using TestSupport;

namespace Inventory.Tests;

public sealed class CustomerErasureTests(PaymentEventsFixture inventory) : IClassFixture<PaymentEventsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Erasure_releases_the_customers_pending_reservations_and_keeps_the_others_under_the_pseudonym()
    {
        var (erased, kept) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var product = await inventory.NewProductAsync(onHand: 10);
        var pending = await ReserveAsync(product, 3, erased);
        var paid = await ReserveAsync(product, 2, erased);
        await SendAsync(await SucceededAsync(paid));
        await WaitForAsync(paid, r => r.GetProperty("status").GetString() == "committed", "the payment committing");
        var someoneElses = await ReserveAsync(product, 1, kept);
        var erasure = Erased(erased, out var pseudonym);
        using var metrics = new MetricsRecorder(inventory.Services);

        await SendAsync(erasure);
        await SendAsync(erasure); // delivered twice, handled once

        await WaitForAsync(pending, r => r.GetProperty("status").GetString() == "released", "the pending reservation being released");
        Assert.True(await TestQueues.WaitUntilEmptyAsync(inventory.InventoryQueueUrl, Patience), "both deliveries should be handled and deleted");
        Assert.Equal(pseudonym, (await ReservationAsync(pending)).GetProperty("customerId").GetGuid());
        var committed = await ReservationAsync(paid);
        Assert.Equal((pseudonym, "committed"), (committed.GetProperty("customerId").GetGuid(), committed.GetProperty("status").GetString()));
        Assert.Equal(kept, (await ReservationAsync(someoneElses)).GetProperty("customerId").GetGuid());
        var stock = await inventory.StockAsync(product);
        Assert.Equal((8, 1), (stock.OnHand, stock.Reserved)); // 2 sold, 3 back on the shelf, 1 still held by the other customer
        Assert.Empty((await PersonalDataAsync(erased)).GetProperty("reservations").EnumerateArray());
        await Eventually.HoldsAsync(() => Task.FromResult(metrics.Sum("events.received", ("event.type", EventTypes.CustomerErased)) == 2),
            "both deliveries being counted");
        Assert.Equal(1, metrics.Sum("events.received", ("event.type", EventTypes.CustomerErased), ("outcome", "duplicate")));
        Assert.Equal(1, metrics.Sum("reservations.released", ("cause", "customer_erased")));
    }

    [Fact]
    public async Task A_payment_in_flight_when_its_customer_was_erased_is_refunded_and_sells_nothing()
    {
        var customer = Guid.CreateVersion7();
        var product = await inventory.NewProductAsync(onHand: 5);
        var reservation = await ReserveAsync(product, 2, customer);
        var succeeded = await SucceededAsync(reservation); // published by payments before it heard of the erasure

        await SendAsync(Erased(customer, out _));
        await WaitForAsync(reservation, r => r.GetProperty("status").GetString() == "released", "the erasure releasing the reservation");
        await SendAsync(succeeded);

        var published = await TestQueues.WaitForAsync(inventory.PaymentsQueueUrl,
            body => body.Contains(reservation.ToString(), StringComparison.Ordinal), Patience);
        Assert.NotNull(published);
        Assert.Equal(EventTypes.ReservationCommitFailed, JsonSerializer.Deserialize<EventEnvelope>(published, EventEnvelope.Json)!.Type);
        Assert.Equal("released", (await ReservationAsync(reservation)).GetProperty("status").GetString());
        var stock = await inventory.StockAsync(product);
        Assert.Equal((5, 0), (stock.OnHand, stock.Reserved));
    }

    [Fact]
    public async Task Personal_data_is_every_reservation_of_the_caller_and_nobody_elses()
    {
        var (caller, other) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var product = await inventory.NewProductAsync(onHand: 10);
        var first = await ReserveAsync(product, 1, caller);
        var second = await ReserveAsync(product, 2, caller);
        await inventory.ClientWithToken(TestTokens.Customer(caller)).PostAsync(new Uri($"/api/inventory/reservations/{first}/release", UriKind.Relative), null);
        await ReserveAsync(product, 1, other);

        var reservations = (await PersonalDataAsync(caller)).GetProperty("reservations").EnumerateArray().ToList();

        Assert.Equal([first, second], reservations.Select(r => r.GetProperty("id").GetGuid()));
        Assert.All(reservations, r => Assert.Equal(caller, r.GetProperty("customerId").GetGuid()));
        Assert.Equal(["released", "pending"], reservations.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await inventory.CreateClient().GetAsync(new Uri("/api/inventory/personal-data", UriKind.Relative))).StatusCode);
    }

    private static EventEnvelope Erased(Guid customer, out Guid pseudonym)
    {
        pseudonym = Guid.NewGuid();
        return EventEnvelope.Create(EventTypes.CustomerErased, "customers", new CustomerErased(customer, pseudonym), DateTimeOffset.UtcNow);
    }

    private async Task<EventEnvelope> SucceededAsync(Guid reservation)
    {
        var reserved = await ReservationAsync(reservation);
        return EventEnvelope.Create(EventTypes.PaymentSucceeded, "payments", new PaymentSucceeded(Guid.CreateVersion7(), reservation,
            reserved.GetProperty("customerId").GetGuid(), reserved.GetProperty("totalCents").GetInt64(), reserved.GetProperty("currency").GetString()!),
            DateTimeOffset.UtcNow);
    }

    private Task<Amazon.SQS.Model.SendMessageResponse> SendAsync(EventEnvelope envelope) =>
        TestQueues.Client.SendMessageAsync(inventory.InventoryQueueUrl, JsonSerializer.Serialize(envelope, EventEnvelope.Json));

    private async Task<Guid> ReserveAsync(Guid product, int quantity, Guid customer) =>
        Guid.Parse((await inventory.ReserveAsync(product, quantity, customer)).Split('/')[^1]);

    private async Task<JsonElement> ReservationAsync(Guid reservation) =>
        await inventory.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>($"/api/inventory/reservations/{reservation}");

    private async Task<JsonElement> PersonalDataAsync(Guid customer) =>
        await inventory.ClientWithToken(TestTokens.Customer(customer)).GetFromJsonAsync<JsonElement>("/api/inventory/personal-data");

    private Task WaitForAsync(Guid reservation, Func<JsonElement, bool> condition, string what) =>
        Eventually.HoldsAsync(async () => condition(await ReservationAsync(reservation)), what);
}
