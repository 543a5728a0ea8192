using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TestSupport;

namespace Storefront.EndToEnd;

/// <summary>
/// A shopper's journeys in a real browser through the storefront and the real services: browse, search, sign up,
/// reserve, pay with the emulator's test cards, follow the order to "confirmed" or "released", sign out, and delete
/// the account. Every page is audited with axe-core; a failed scenario leaves a screenshot of each shopper's page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ShopTests(Browser browser) : IAsyncLifetime
{
    private static readonly TimeSpan OrderSettles = TimeSpan.FromSeconds(90);
    private readonly List<Shopper> _shoppers = [];

    [StackFact]
    public Task Browse_search_sign_up_reserve_and_pay_and_the_order_turns_confirmed_without_a_reload() => RunAsync(async () =>
    {
        var shopper = await NewShopperAsync();
        await shopper.OpenAsync("/products");
        await shopper.OpenAsync("/stores");
        await shopper.AddProductToCartAsync("Dell");
        await shopper.SignUpAsync();
        var order = await shopper.ReserveAsync();
        await Assertions.Expect(shopper.Page.Locator("#order-status")).ToHaveTextAsync("Awaiting payment");

        await shopper.PayAsync("4242 4242 4242 4242 — succeeds");

        // The order page follows the payment through Stripe's webhook, SQS and inventory's commit by itself.
        await Assertions.Expect(shopper.Page.Locator("#order-status")).ToHaveTextAsync("Confirmed", new() { Timeout = (float)OrderSettles.TotalMilliseconds });
        await Assertions.Expect(shopper.Page.Locator("#payment-status")).ToHaveTextAsync("Paid");
        // All of it one trace, which the storefront began when it reserved (sampled or not, as nine in ten are not).
        var reservation = order.Split('/')[^1];
        var begun = await StackLogs.LineAsync("storefront", $"Checkout of reservation {reservation} begun");
        var committed = await StackLogs.LineAsync("inventory", $"Reservation {reservation} committed");
        Assert.NotNull(StackLogs.TraceIdOf(begun));
        Assert.Equal(StackLogs.TraceIdOf(begun), StackLogs.TraceIdOf(committed));
        await shopper.AuditAsync();
        await shopper.OpenAsync("/account/orders");
        await Assertions.Expect(shopper.Page.Locator("table.orders tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(shopper.Page.Locator("table.orders tbody tr")).ToContainTextAsync("Confirmed");
    });

    [StackFact]
    public Task A_declined_card_releases_the_order() => RunAsync(async () =>
    {
        var shopper = await NewShopperAsync();
        await shopper.SignUpAsync();
        await shopper.AddProductToCartAsync("ThinkPad");
        await shopper.ReserveAsync();

        await shopper.PayAsync("4000 0000 0000 0002 — declined");

        // The page says so at once, then follows inventory releasing the stock by itself.
        await Assertions.Expect(shopper.Page.Locator("#order-status")).ToHaveTextAsync("Released", new() { Timeout = (float)OrderSettles.TotalMilliseconds });
        await Assertions.Expect(shopper.Page.Locator("#payment-status")).ToHaveTextAsync("Declined");
        await shopper.AuditAsync();
    });

    [StackFact]
    public Task Signing_out_ends_the_session_so_going_back_to_a_private_page_asks_to_sign_in() => RunAsync(async () =>
    {
        var shopper = await NewShopperAsync();
        await shopper.SignUpAsync();
        await shopper.OpenAsync("/account/orders");
        var session = Assert.Single(await shopper.Page.Context.CookiesAsync(), cookie => cookie.Name == "__Host-shop");
        Assert.True(session.HttpOnly && session.Secure && session.SameSite == SameSiteAttribute.Lax, "the session cookie's flags");
        Assert.DoesNotContain("__Host-shop", await shopper.Page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);

        await shopper.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await shopper.Page.WaitForPageAsync(Browser.StorefrontUrl.ToString());
        await Assertions.Expect(shopper.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await shopper.Page.GoBackAsync();
        await shopper.Page.ReloadAsync();
        await Assertions.Expect(shopper.Page).ToHaveURLAsync(SignInPage());
        await shopper.OpenAsync("/account");
        await Assertions.Expect(shopper.Page).ToHaveURLAsync(SignInPage());
        Assert.DoesNotContain(await shopper.Page.Context.CookiesAsync(), cookie => cookie.Name == "__Host-shop");
    });

    [StackFact]
    public Task Another_shoppers_order_is_not_found_by_its_address() => RunAsync(async () =>
    {
        var owner = await NewShopperAsync();
        await owner.SignUpAsync("Owner");
        await owner.AddProductToCartAsync("Dell");
        var order = await owner.ReserveAsync();

        var stranger = await NewShopperAsync();
        await stranger.SignUpAsync("Stranger");
        var response = await stranger.OpenAsync(order);

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(stranger.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
        Assert.Equal(404, (await stranger.Page.APIRequest.GetAsync(order + "/status")).Status);
    });

    [StackFact]
    public Task A_shopper_deletes_their_account_and_can_no_longer_sign_in() => RunAsync(async () =>
    {
        var shopper = await NewShopperAsync();
        await shopper.SignUpAsync();

        await shopper.OpenAsync("/account");
        await shopper.Page.GetByLabel("I understand this cannot be undone").CheckAsync();
        await shopper.Page.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync();
        await shopper.Page.WaitForPageAsync("**/account/deleted");
        await shopper.AuditAsync();

        await shopper.SignInAsync();
        await Assertions.Expect(shopper.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");
    });

    [StackFact]
    public Task A_shopper_downloads_the_export_of_their_data() => RunAsync(async () =>
    {
        var shopper = await NewShopperAsync();
        await shopper.SignUpAsync();

        await shopper.Page.GetByRole(AriaRole.Button, new() { Name = "Prepare a data export" }).ClickAsync();
        await shopper.Page.WaitForPageAsync("**/account");
        var download = shopper.Page.Locator("#export-download");
        for (var attempt = 0; attempt < 30 && await download.CountAsync() == 0; attempt++)
        {
            await Task.Delay(1000);
            await shopper.Page.ReloadAsync();
        }

        await shopper.AuditAsync();
        var document = await shopper.Page.APIRequest.GetAsync(await download.GetAttributeAsync("href") ?? "");
        Assert.Equal(200, document.Status);
        Assert.Contains(shopper.Email, await document.TextAsync(), StringComparison.Ordinal);
    });

    [StackFact]
    public Task The_admin_adds_and_removes_a_picture_and_sets_the_stock_at_a_store_through_the_admin_pages() => RunAsync(async () =>
    {
        var admin = await NewShopperAsync();
        await admin.SignInAsync(TestEnvironment.Require("STACK_ADMIN_EMAIL"), TestEnvironment.Require("STACK_ADMIN_PASSWORD"));
        // Signed in, the layout links the admin pages; each is opened by its address, which waits for it to load.
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToBeVisibleAsync();
        await admin.OpenAsync("/admin");
        await admin.OpenAsync("/admin/products?search=Dell");
        await admin.Page.Locator("table.admin tbody a", new() { HasText = "Dell" }).First.ClickAsync();
        await admin.Page.WaitForPageAsync("**/admin/products/*");
        await admin.AuditAsync();
        var product = new Uri(admin.Page.Url).AbsolutePath;

        // A picture, through the storefront to the URL inventory presigned, into the AWS emulator's S3.
        var pictures = await admin.Page.Locator("ul.pictures img").CountAsync();
        await admin.Page.GetByLabel("Add a picture").SetInputFilesAsync(new FilePayload { Name = "new.png", MimeType = "image/png", Buffer = OnePixelPng });
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await admin.Page.WaitForPageAsync("**done=uploaded");
        await Assertions.Expect(admin.Page.Locator("ul.pictures img")).ToHaveCountAsync(pictures + 1);
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Remove picture {pictures + 1}" }).ClickAsync();
        await admin.Page.WaitForPageAsync("**done=removed");
        await Assertions.Expect(admin.Page.Locator("ul.pictures img")).ToHaveCountAsync(pictures);

        // The stock at the first store of the first city.
        await admin.Page.GetByLabel("City").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Show stores" }).ClickAsync();
        await admin.Page.WaitForPageAsync($"**{product}?city=*");
        await admin.Page.GetByLabel("Store", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Index = 1 });
        var store = await admin.Page.Locator("select#stock-store option").Nth(1).TextContentAsync();
        await admin.Page.GetByLabel("On hand").FillAsync("37");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Set the stock" }).ClickAsync();
        await admin.Page.WaitForPageAsync("**done=saved");
        await Assertions.Expect(admin.Page.Locator("table.admin tbody tr", new() { HasText = store })).ToContainTextAsync("37");
        await admin.AuditAsync();

        await admin.OpenAsync("/admin/stores");
        await admin.Page.GetByLabel("City").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Show stores" }).ClickAsync();
        await admin.Page.WaitForPageAsync("**/admin/stores?city=*");
        await admin.Page.Locator("table.admin tbody a").First.ClickAsync();
        await admin.Page.WaitForPageAsync("**/admin/stores/*");
        await admin.AuditAsync();
        Assert.NotEmpty(await admin.Page.GetByLabel("Opening hours").InputValueAsync());
    });

    [StackFact]
    public Task A_page_that_does_not_exist_is_a_not_found_page() => RunAsync(async () =>
    {
        var shopper = await NewShopperAsync();
        var response = await shopper.OpenAsync("/no-such-page");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(shopper.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var shopper in _shoppers)
        {
            await shopper.DisposeAsync();
        }
    }

    private async Task<Shopper> NewShopperAsync()
    {
        var shopper = await Shopper.StartAsync(browser);
        _shoppers.Add(shopper);
        return shopper;
    }

    private async Task RunAsync(Func<Task> scenario, [CallerMemberName] string test = "")
    {
        try
        {
            await scenario();
        }
        catch
        {
            for (var i = 0; i < _shoppers.Count; i++)
            {
                await _shoppers[i].ScreenshotAsync(_shoppers.Count == 1 ? test : $"{test}-{i + 1}");
            }

            throw;
        }
    }

    // The smallest PNG there is: one transparent pixel.
    private static readonly byte[] OnePixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    [GeneratedRegex("/account/signin")]
    private static partial Regex SignInPage();
}
