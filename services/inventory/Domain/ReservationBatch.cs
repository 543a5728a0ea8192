namespace Inventory.Domain;

/// <summary>What became of one reservation of a batch: made, or refused for a limit or for the items that are short.</summary>
public sealed record ReservationDecision(HoldingLimitExceeded? Exceeded, IReadOnlyList<ShortItem> ShortOf)
{
    public static readonly ReservationDecision Made = new(null, []);

    public bool IsMade => Exceeded is null && ShortOf.Count == 0;
}

/// <summary>What the customers of a batch hold in pending reservations: how many, and the units of each shelf.</summary>
public sealed class CustomerHoldings(IReadOnlyDictionary<Guid, int> pendingReservations, IReadOnlyDictionary<(Guid CustomerId, Shelf Shelf), int> units)
{
    private readonly Dictionary<Guid, int> _pending = new(pendingReservations);
    private readonly Dictionary<(Guid CustomerId, Shelf Shelf), int> _units = new(units);

    public int PendingReservations(Guid customerId) => _pending.GetValueOrDefault(customerId);

    public int Units(Guid customerId, Shelf shelf) => _units.GetValueOrDefault((customerId, shelf));

    /// <summary>Counts a reservation just made, so the next one of the same customer in the batch sees it.</summary>
    public void Add(Reservation made)
    {
        _pending[made.CustomerId] = PendingReservations(made.CustomerId) + 1;
        foreach (var item in made.Items)
        {
            var shelf = new Shelf(item.ProductId, made.LocationId);
            _units[(made.CustomerId, shelf)] = Units(made.CustomerId, shelf) + item.Quantity;
        }
    }
}

/// <summary>
/// Decides the reservations of a batch one after the other, in the order they arrived, against what the shelves have
/// and what each customer holds, both as the batch's earlier reservations left them: exactly what deciding them one
/// transaction each, in that order, would give.
/// </summary>
public static class ReservationBatch
{
    /// <summary>
    /// One decision per reservation of <paramref name="wanted"/>, in its order. <paramref name="available"/> (what each
    /// shelf has; a shelf not in it has nothing) and <paramref name="holdings"/> are left as the made reservations change them.
    /// </summary>
    public static List<ReservationDecision> Decide(
        IReadOnlyList<Reservation> wanted, HoldingLimits limits, CustomerHoldings holdings, Dictionary<Shelf, int> available)
    {
        var decisions = new List<ReservationDecision>(wanted.Count);
        foreach (var reservation in wanted)
        {
            var shelves = reservation.Items.Select(i => (Item: i, Shelf: new Shelf(i.ProductId, reservation.LocationId))).ToList();
            var held = shelves.ToDictionary(s => s.Item.ProductId, s => holdings.Units(reservation.CustomerId, s.Shelf));
            if (limits.Check(holdings.PendingReservations(reservation.CustomerId), held, reservation) is { } exceeded)
            {
                decisions.Add(new ReservationDecision(exceeded, []));
                continue;
            }

            var shortOf = shelves
                .Where(s => available.GetValueOrDefault(s.Shelf) < s.Item.Quantity)
                .Select(s => new ShortItem(s.Item.ProductId, s.Item.Quantity, available.GetValueOrDefault(s.Shelf)))
                .ToList();
            if (shortOf.Count > 0)
            {
                decisions.Add(new ReservationDecision(null, shortOf));
                continue;
            }

            foreach (var (item, shelf) in shelves)
            {
                available[shelf] -= item.Quantity;
            }

            holdings.Add(reservation);
            decisions.Add(ReservationDecision.Made);
        }

        return decisions;
    }
}
