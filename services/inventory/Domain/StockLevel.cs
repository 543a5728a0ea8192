namespace Inventory.Domain;

/// <summary>
/// One product's stock at one store location. <see cref="Reserved"/> is held for pending reservations; the database
/// keeps <c>0 ≤ reserved ≤ on_hand</c>, so what is available never goes below zero.
/// </summary>
public sealed class StockLevel
{
    public Guid ProductId { get; init; }

    public Guid LocationId { get; init; }

    public int OnHand { get; set; }

    public int Reserved { get; set; }

    public int Available => OnHand - Reserved;
}
