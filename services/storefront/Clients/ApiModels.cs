namespace Storefront.Clients;

// What the storefront reads from the four APIs (docs/api.md); only the fields it shows.

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    public int PageCount => PageSize <= 0 ? 0 : (TotalCount + PageSize - 1) / PageSize;
}

public sealed record Product(
    Guid Id, string Sku, string Name, string Description, string Category, long PriceCents, string Currency, IReadOnlyList<string> ImageUrls);

public sealed record ProductDetails(string Sku, string Name, string Description, string Category, long PriceCents, string Currency);

public sealed record ImageUpload(string Key, Uri UploadUrl, DateTimeOffset ExpiresAt);

public sealed record Stock(Guid LocationId, int OnHand, int Reserved, int Available);

public sealed record ReservationItem(Guid ProductId, int Quantity, long UnitPriceCents);

public sealed record Reservation(
    Guid Id, Guid LocationId, string Status, long TotalCents, string Currency, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    IReadOnlyList<ReservationItem> Items);

public sealed record ReservationLine(Guid ProductId, int Quantity);

public sealed record NewReservation(Guid LocationId, IReadOnlyList<ReservationLine> Items);

public sealed record InventoryPersonalData(IReadOnlyList<Reservation> Reservations);

public sealed record Payment(Guid Id, Guid ReservationId, string Status, long AmountCents, string Currency, DateTimeOffset CreatedAt);

public sealed record CreatedPayment(Guid Id, Guid ReservationId, string Status, long AmountCents, string Currency, string ClientSecret)
{
    /// <summary>The PaymentIntent's id: a client secret is <c>pi_…_secret_…</c>.</summary>
    public string IntentId => ClientSecret.Split("_secret_", 2)[0];
}

public sealed record OpeningInterval(DayOfWeek Day, string Opens, string Closes);

public sealed record Store(
    Guid Id, string Name, string Address, string City, string Country, double Latitude, double Longitude, string TimeZone,
    IReadOnlyList<OpeningInterval> OpeningHours, double? DistanceKm = null);

public sealed record StoreDetails(
    string Name, string Address, string City, string Country, double Latitude, double Longitude, string TimeZone,
    IReadOnlyList<OpeningInterval> OpeningHours);

public sealed record City(string Name, int Stores);

public sealed record Tokens(string AccessToken, int ExpiresIn, string RefreshToken);

public sealed record Profile(Guid Id, string Email, string Name, string Role);

public sealed record DataExport(Guid Id, string Status, DateTimeOffset RequestedAt, string? DownloadUrl);
