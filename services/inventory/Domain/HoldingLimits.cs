namespace Inventory.Domain;

/// <summary>
/// What one customer may hold at once (OWASP API6, unrestricted access to sensitive business flows): a number of
/// pending reservations, and a number of units of one product at one store across them. A reservation that would
/// go past either is refused whole; stock that is committed or released no longer counts.
/// </summary>
public sealed record HoldingLimits(int MaxPendingReservations, int MaxUnitsPerProduct)
{
    /// <summary>
    /// The first limit <paramref name="wanted"/> would go past on top of what the customer holds: their number of
    /// pending reservations, and the units of each of <paramref name="wanted"/>'s products they hold at its store
    /// across them (pending reservations hold stock until they are committed or released). Null when it fits.
    /// </summary>
    public HoldingLimitExceeded? Check(int pendingReservations, IReadOnlyDictionary<Guid, int> unitsHeldAtTheStore, Reservation wanted)
    {
        if (pendingReservations >= MaxPendingReservations)
        {
            return new(HoldingLimit.PendingReservations, MaxPendingReservations, pendingReservations, 1, ProductId: null);
        }

        return wanted.Items
            .Select(i => (i.ProductId, Held: unitsHeldAtTheStore.GetValueOrDefault(i.ProductId), i.Quantity))
            .Where(i => i.Held + i.Quantity > MaxUnitsPerProduct)
            .Select(i => new HoldingLimitExceeded(HoldingLimit.UnitsPerProduct, MaxUnitsPerProduct, i.Held, i.Quantity, i.ProductId))
            .FirstOrDefault();
    }
}

public enum HoldingLimit
{
    PendingReservations,
    UnitsPerProduct,
}

/// <summary>Which limit, its value, what the customer already holds against it and what they asked for on top.</summary>
public sealed record HoldingLimitExceeded(HoldingLimit Limit, int Value, int Held, int Requested, Guid? ProductId);
