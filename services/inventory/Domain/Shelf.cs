namespace Inventory.Domain;

/// <summary>One product at one store location: the key of a stock row.</summary>
public readonly record struct Shelf(Guid ProductId, Guid LocationId)
{
    /// <summary>
    /// The one order every transaction locks stock rows in (by product, then location), so two that share rows wait for
    /// each other instead of deadlocking.
    /// </summary>
    public static IOrderedEnumerable<Shelf> InLockOrder(IEnumerable<Shelf> shelves) => shelves.OrderBy(s => s.ProductId).ThenBy(s => s.LocationId);
}

/// <summary>A product a reservation asked for more of than the location has available.</summary>
public sealed record ShortItem(Guid ProductId, int Requested, int Available);
