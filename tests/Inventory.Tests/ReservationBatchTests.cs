using Inventory.Domain;

namespace Inventory.Tests;

/// <summary>
/// The decisions of one batch of reservations: each as if it had its own transaction, in the order they arrived, so the
/// batch's earlier reservations count against the shelves and the limits of its later ones.
/// </summary>
public sealed class ReservationBatchTests
{
    private static readonly HoldingLimits Limits = new(MaxPendingReservations: 2, MaxUnitsPerProduct: 5);
    private static readonly Guid Store = Guid.CreateVersion7();
    private static readonly Guid Lamp = Guid.CreateVersion7();
    private static readonly Guid Chair = Guid.CreateVersion7();

    [Fact]
    public void The_first_to_arrive_get_the_last_units_and_the_rest_are_told_what_is_left()
    {
        var available = new Dictionary<Shelf, int> { [new(Lamp, Store)] = 3 };
        List<Reservation> wanted = [Reserve((Lamp, 2)), Reserve((Lamp, 2)), Reserve((Lamp, 1)), Reserve((Lamp, 1))];

        var decisions = ReservationBatch.Decide(wanted, Limits, NothingHeld(), available);

        Assert.Equal([true, false, true, false], decisions.Select(d => d.IsMade));
        Assert.Equal(new ShortItem(Lamp, 2, 1), Assert.Single(decisions[1].ShortOf));
        Assert.Equal(new ShortItem(Lamp, 1, 0), Assert.Single(decisions[3].ShortOf));
        Assert.Equal(0, available[new(Lamp, Store)]);
    }

    [Fact]
    public void A_reservation_with_one_short_item_takes_nothing_and_a_later_one_can_have_its_other_items()
    {
        var available = new Dictionary<Shelf, int> { [new(Lamp, Store)] = 1, [new(Chair, Store)] = 4 };
        List<Reservation> wanted = [Reserve((Chair, 4), (Lamp, 2)), Reserve((Chair, 4))];

        var decisions = ReservationBatch.Decide(wanted, Limits, NothingHeld(), available);

        Assert.Equal(new ShortItem(Lamp, 2, 1), Assert.Single(decisions[0].ShortOf));
        Assert.True(decisions[1].IsMade);
        Assert.Equal(1, available[new(Lamp, Store)]);
        Assert.Equal(0, available[new(Chair, Store)]);
    }

    [Fact]
    public void A_product_the_store_does_not_stock_is_short_with_nothing_available()
    {
        var decision = Assert.Single(ReservationBatch.Decide([Reserve((Chair, 1))], Limits, NothingHeld(), []));

        Assert.Equal(new ShortItem(Chair, 1, 0), Assert.Single(decision.ShortOf));
    }

    [Fact]
    public void A_customers_earlier_reservation_in_the_batch_counts_towards_both_limits()
    {
        var customer = Guid.CreateVersion7();
        var available = new Dictionary<Shelf, int> { [new(Lamp, Store)] = 100, [new(Chair, Store)] = 100 };
        List<Reservation> wanted = [Reserve(customer, (Lamp, 4)), Reserve(customer, (Lamp, 2)), Reserve(customer, (Chair, 1)), Reserve(customer, (Chair, 1))];

        var decisions = ReservationBatch.Decide(wanted, Limits, NothingHeld(), available);

        Assert.True(decisions[0].IsMade);
        Assert.Equal(new HoldingLimitExceeded(HoldingLimit.UnitsPerProduct, 5, Held: 4, Requested: 2, Lamp), decisions[1].Exceeded);
        Assert.True(decisions[2].IsMade);
        Assert.Equal(HoldingLimit.PendingReservations, decisions[3].Exceeded?.Limit);
        Assert.Equal(96, available[new(Lamp, Store)]);
        Assert.Equal(99, available[new(Chair, Store)]);
    }

    [Fact]
    public void What_a_customer_already_holds_counts_and_another_customer_is_not_bound_by_it()
    {
        var holder = Guid.CreateVersion7();
        var held = new CustomerHoldings(new Dictionary<Guid, int> { [holder] = 1 }, new Dictionary<(Guid, Shelf), int> { [(holder, new(Lamp, Store))] = 5 });
        var available = new Dictionary<Shelf, int> { [new(Lamp, Store)] = 10 };

        var decisions = ReservationBatch.Decide([Reserve(holder, (Lamp, 1)), Reserve((Lamp, 5))], Limits, held, available);

        Assert.Equal(new HoldingLimitExceeded(HoldingLimit.UnitsPerProduct, 5, Held: 5, Requested: 1, Lamp), decisions[0].Exceeded);
        Assert.True(decisions[1].IsMade);
    }

    private static CustomerHoldings NothingHeld() => new(new Dictionary<Guid, int>(), new Dictionary<(Guid, Shelf), int>());

    private static Reservation Reserve(params (Guid Product, int Quantity)[] items) => Reserve(Guid.CreateVersion7(), items);

    private static Reservation Reserve(Guid customer, params (Guid Product, int Quantity)[] items) => new()
    {
        CustomerId = customer,
        LocationId = Store,
        Currency = "EUR",
        Items = [.. items.Select(i => new ReservationItem(i.Product, i.Quantity, UnitPriceCents: 100))],
    };
}
