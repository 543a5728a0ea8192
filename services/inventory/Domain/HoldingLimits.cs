namespace Inventory.Domain;

/// <summary>
/// What one customer may hold at once (OWASP API6, unrestricted access to sensitive business flows): a number of
/// pending reservations, and a number of units of one product at one store across them. A reservation that would
/// go past either is refused whole; stock that is committed or released no longer counts.
/// </summary>
public sealed record HoldingLimits(int MaxPendingReservations, int MaxUnitsPerProduct)
{
    /// <summary>
    /// The first limit <paramref name="wanted"/> would go past on top of <paramref name="pending"/> (the customer's
    /// pending reservations, which hold stock until they are committed or released), or null when it fits.
    /// </summary>
    public HoldingLimitExceeded? Check(IReadOnlyCollection<Reservation> pending, Reservation wanted)
    {
        if (pending.Count >= MaxPendingReservations)
        {
            return new(HoldingLimit.PendingReservations, MaxPendingReservations, pending.Count, 1, ProductId: null);
        }

        var held = pending.Where(r => r.LocationId == wanted.LocationId).SelectMany(r => r.Items)
            .GroupBy(i => i.ProductId).ToDictionary(g => g.Key, g => g.Sum(i => i.Quantity));
        return wanted.Items
            .Select(i => (i.ProductId, Held: held.GetValueOrDefault(i.ProductId), i.Quantity))
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
