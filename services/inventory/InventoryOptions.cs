using System.ComponentModel.DataAnnotations;

namespace Inventory;

public sealed class InventoryOptions
{
    /// <summary>How long a reservation holds stock while its customer pays, in seconds.</summary>
    [ConfigurationKeyName("RESERVATION_TTL"), Range(10, 86_400)]
    public int ReservationTtlSeconds { get; set; } = 900;

    /// <summary>How often the sweeper looks for expired reservations, in seconds.</summary>
    [ConfigurationKeyName("RESERVATION_SWEEP_SECONDS"), Range(1, 3600)]
    public int ReservationSweepSeconds { get; set; } = 5;
}
