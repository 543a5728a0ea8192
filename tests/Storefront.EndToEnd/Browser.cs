using Microsoft.Playwright;

namespace Storefront.EndToEnd;

/// <summary>
/// Debian's Chromium (Playwright cannot download browsers here), headless, driven by Playwright, against the storefront
/// at <c>STACK_STOREFRONT_URL</c> with the real services behind it.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static Uri StorefrontUrl { get; } = new(Environment.GetEnvironmentVariable("STACK_STOREFRONT_URL")
        ?? throw new InvalidOperationException(
            "STACK_STOREFRONT_URL is not set: these tests drive a running storefront (./dev test sets it) "
            + "with the four services and the Stripe emulator behind it."));

    /// <summary>Where a failed test's screenshot goes: under <c>STACK_LOGS</c> when set, else beside the test assembly.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("STACK_LOGS") ?? AppContext.BaseDirectory, "storefront-screenshots");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new browser profile: its own cookies, so each shopper is a stranger to the others.</summary>
    public async Task<IBrowserContext> NewShopperAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = StorefrontUrl.ToString(), Locale = "en-GB" });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Browser>
{
    public const string Name = "browser";
}
