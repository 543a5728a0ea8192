using System.Globalization;

namespace Storefront.Clients;

public static class Money
{
    /// <summary>Minor units as a price: 129900 EUR is "1,299.00 EUR".</summary>
    public static string Format(long minorUnits, string currency) =>
        (minorUnits / 100m).ToString("N2", CultureInfo.InvariantCulture) + " " + currency;
}
