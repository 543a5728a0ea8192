using Bunit;
using Storefront.Clients;
using Storefront.Components;
using Storefront.Components.Pages;

namespace Storefront.Tests;

/// <summary>Components on their own (bunit): what they render from their parameters.</summary>
public sealed class ComponentTests : IDisposable
{
    private readonly BunitContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void A_product_card_links_to_the_product_with_its_price_and_first_picture()
    {
        var product = new Product(Shop.ProductId, "MON-1", "Dell UltraSharp U2724D", "27-inch", "monitors", 54900, "EUR",
            ["https://assets.test/1.jpg", "https://assets.test/2.jpg"]);

        var card = _context.Render<ProductCard>(parameters => parameters.Add(p => p.Product, product));

        Assert.Equal($"/products/{Shop.ProductId}", card.Find("a").GetAttribute("href"));
        Assert.Equal("549.00 EUR", card.Find(".price").TextContent);
        var image = card.Find("img");
        Assert.Equal("https://assets.test/1.jpg", image.GetAttribute("src"));
        Assert.Equal("Dell UltraSharp U2724D", image.GetAttribute("alt"));
    }

    [Fact]
    public void A_product_without_pictures_shows_its_category_instead()
    {
        var product = new Product(Shop.ProductId, "MON-1", "Monitor", "27-inch", "monitors", 100, "EUR", []);

        var card = _context.Render<ProductCard>(parameters => parameters.Add(p => p.Product, product));

        Assert.Empty(card.FindAll("img"));
        Assert.Equal("monitors", card.Find(".placeholder").TextContent);
    }

    [Theory]
    [InlineData(503, "Please try again shortly")]
    [InlineData(404, "Not found")]
    [InlineData(500, "Something went wrong")]
    public void The_error_page_says_what_happened_in_the_shoppers_words(int status, string heading)
    {
        var page = _context.Render<ErrorDocument>(parameters => parameters.Add(p => p.Status, status));

        Assert.Equal(heading, page.Find("h1").TextContent);
        Assert.DoesNotContain("Exception", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_search_form_keeps_the_search_and_asks_the_product_list()
    {
        var form = _context.Render<SearchForm>(parameters => parameters.Add(p => p.Search, "dell"));

        Assert.Equal("/products", form.Find("form").GetAttribute("action"));
        Assert.Equal("get", form.Find("form").GetAttribute("method"));
        Assert.Equal("dell", form.Find("input#search").GetAttribute("value"));
        Assert.NotNull(form.Find("label[for=search]"));
    }

    [Theory]
    [InlineData("2026-12-07T10:00:00Z", true)]  // a Monday, 11:00 in Berlin
    [InlineData("2026-12-07T17:30:00Z", false)] // 18:30 in Berlin: closed at 18:00
    [InlineData("2026-12-08T10:00:00Z", false)] // a Tuesday: no hours that day
    public void Open_now_is_judged_in_the_stores_own_time_zone(string utc, bool open)
    {
        var store = new Store(Shop.StoreId, "Berlin Mitte", "Friedrichstraße 1", "Berlin", "DE", 52.5, 13.4, "Europe/Berlin",
            [new OpeningInterval(DayOfWeek.Monday, "09:00", "18:00")]);

        Assert.Equal(open, OpeningHours.IsOpen(store, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void An_interval_closing_after_midnight_is_open_early_the_next_day()
    {
        var store = new Store(Shop.StoreId, "Late", "Street 1", "London", "GB", 51.5, -0.1, "Europe/London",
            [new OpeningInterval(DayOfWeek.Friday, "20:00", "02:00")]);

        Assert.True(OpeningHours.IsOpen(store, new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero))); // Saturday 01:00
        Assert.False(OpeningHours.IsOpen(store, new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero)));
    }
}
