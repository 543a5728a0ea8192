using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Storefront.EndToEnd;

/// <summary>One shopper in their own browser profile, with the steps the scenarios share; every page seen is audited.</summary>
public sealed class Shopper(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public const string Password = "a long enough password";

    public IPage Page { get; } = page;

    public string Email { get; } = $"shopper-{Guid.NewGuid():N}@example.com";

    public static async Task<Shopper> StartAsync(Browser browser)
    {
        var context = await browser.NewShopperAsync();
        return new Shopper(context, await context.NewPageAsync());
    }

    /// <summary>Goes to <paramref name="path"/> and audits the page it lands on.</summary>
    public async Task<IResponse?> OpenAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        await AuditAsync();
        return response;
    }

    /// <summary>axe-core on the page as it is: no serious or critical violation of WCAG 2.1 A/AA.</summary>
    public async Task AuditAsync()
    {
        var results = await Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        var serious = results.Violations.Where(violation => violation.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{Page.Url}: " + string.Join("; ", serious.Select(violation =>
            $"{violation.Id} ({violation.Impact}): {violation.Help} at {string.Join(", ", violation.Nodes.Select(node => node.Target?.ToString()))}")));
    }

    public async Task SignUpAsync(string name = "Ada Lovelace")
    {
        await OpenAsync("/account/signup");
        await Page.GetByLabel("Name").FillAsync(name);
        await Page.GetByLabel("Email").FillAsync(Email);
        await Page.GetByLabel("Password (at least 12 characters)").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        // The account page rendered, but its load event once came after Playwright's 30 s on two cores running the
        // whole stack: the step waits for the page as before, with room for such a moment.
        await Page.WaitForPageAsync("**/account", timeout: 60_000);
        await AuditAsync();
    }

    public Task SignInAsync() => SignInAsync(Email, Password);

    public async Task SignInAsync(string email, string password)
    {
        await OpenAsync("/account/signin");
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Searches from the home page, opens the first product found and adds it to the cart.</summary>
    public async Task AddProductToCartAsync(string search)
    {
        await OpenAsync("/");
        await Page.GetByLabel("Search products").FillAsync(search);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Page.WaitForPageAsync("**/products?search=*");
        await AuditAsync();
        await Page.Locator(".products .card a").First.ClickAsync();
        await Page.WaitForPageAsync("**/products/*");
        await AuditAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Page.WaitForPageAsync("**/cart");
        await AuditAsync();
    }

    /// <summary>
    /// Reserves the cart at a store picked at random (a city, then one of its stores), another if that one has not enough
    /// (the demo stock differs by store, and confirmed checkouts of earlier runs against the same stack used some up);
    /// returns the order's path.
    /// </summary>
    public async Task<string> ReserveAsync()
    {
        await OpenAsync("/cart");
        var cities = await Page.Locator("select#city option").CountAsync();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var city = (await Page.GetByLabel("City").SelectOptionAsync(new SelectOptionValue { Index = Random.Shared.Next(1, cities) })).Single();
            await Page.GetByRole(AriaRole.Button, new() { Name = "Show stores" }).ClickAsync();
            await Page.WaitForPageAsync(url => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["city"] == city);
            var stores = await Page.Locator("select#store option").CountAsync();
            await Page.GetByLabel("Store").SelectOptionAsync(new SelectOptionValue { Index = Random.Shared.Next(1, stores) });
            await Page.GetByRole(AriaRole.Button, new() { Name = "Reserve and pay" }).ClickAsync();
            // Either the order's page or the cart saying what is short.
            await Page.Locator("#order-status, [role=alert]").First.WaitForAsync();
            if (new Uri(Page.Url).AbsolutePath.StartsWith("/orders/", StringComparison.Ordinal))
            {
                await AuditAsync();
                return new Uri(Page.Url).AbsolutePath;
            }

            await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not have enough");
        }

        throw new InvalidOperationException("No store picked had the cart's items in stock.");
    }

    public async Task PayAsync(string card)
    {
        await Page.GetByLabel(card).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pay ") }).ClickAsync();
    }

    /// <summary>Saves a screenshot named after the test; called when a scenario fails.</summary>
    public async Task ScreenshotAsync(string test)
    {
        Directory.CreateDirectory(Browser.ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ScreenshotFolder, test + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
