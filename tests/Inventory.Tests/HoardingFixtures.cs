namespace Inventory.Tests;

/// <summary>Inventory with small per-customer holding limits: 3 pending reservations, 5 units of one product at one store.</summary>
public sealed class HoardingFixture : ReservationsFixture
{
    public const int MaxPending = 3;
    public const int MaxUnits = 5;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["MAX_PENDING_RESERVATIONS_PER_CUSTOMER"] = $"{MaxPending}",
        ["MAX_UNITS_PER_PRODUCT_PER_CUSTOMER"] = $"{MaxUnits}",
        ["CUSTOMER_WRITE_RATE_LIMIT"] = "1000",
    };
}

/// <summary>Inventory whose per-customer rate limit lets each customer create 3 reservations an hour.</summary>
public sealed class CustomerRateLimitFixture : ReservationsFixture
{
    public const int Limit = 3;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["CUSTOMER_WRITE_RATE_LIMIT"] = $"{Limit}",
        ["CUSTOMER_WRITE_RATE_WINDOW_SECONDS"] = "3600",
    };
}
