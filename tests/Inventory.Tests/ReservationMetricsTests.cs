using System.Net;
using System.Net.Http.Json;
using TestSupport;

namespace Inventory.Tests;

public sealed class ReservationMetricsTests(ReservationsFixture inventory) : IClassFixture<ReservationsFixture>
{
    [Fact]
    public async Task A_reservation_refused_for_lack_of_stock_moves_exactly_that_counter()
    {
        var product = await inventory.NewProductAsync(onHand: 1);
        using var metrics = new MetricsRecorder(inventory.Services);

        await inventory.ReserveAsync(product, 1);
        var refused = await inventory.ClientWithToken(TestTokens.Customer()).PostAsJsonAsync("/api/inventory/reservations",
            new { locationId = inventory.LocationId, items = new[] { new { productId = product, quantity = 1 } } });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(1, metrics.Sum("reservations.created"));
        Assert.Equal(1, metrics.Sum("reservations.refused", ("reason", "not_enough_stock")));
        Assert.Equal(1, metrics.Sum("reservations.refused"));
        Assert.Equal(0, metrics.Sum("reservations.released") + metrics.Sum("reservations.committed"));
        Assert.All(metrics.Measurements.Where(m => m.Name.StartsWith("reservations.", StringComparison.Ordinal)), m => Assert.Equal("{reservation}", m.Unit));
    }

    [Fact]
    public async Task A_release_by_the_customer_and_an_expiry_are_counted_by_cause()
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        var customer = Guid.CreateVersion7();
        var released = await inventory.ReserveAsync(product, 1, customer);
        await inventory.ReserveAsync(product, 1, customer);
        using var metrics = new MetricsRecorder(inventory.Services);

        await inventory.ClientWithToken(TestTokens.Customer(customer)).PostAsync(new Uri($"{released}/release", UriKind.Relative), null);
        await inventory.ClientWithToken(TestTokens.Customer(customer)).PostAsync(new Uri($"{released}/release", UriKind.Relative), null); // a no-op
        inventory.Clock.Advance(TimeSpan.FromMinutes(16));
        var sweeper = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Reservations.ReservationSweeper>(inventory.Services);
        while (await sweeper.SweepOnceAsync(CancellationToken.None) > 0)
        {
        }

        Assert.Equal(1, metrics.Sum("reservations.released", ("cause", "customer")));
        Assert.True(metrics.Sum("reservations.released", ("cause", "expired")) >= 1, "the other reservation expired");
    }
}
