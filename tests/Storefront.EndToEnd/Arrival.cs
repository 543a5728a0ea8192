using Microsoft.Playwright;

namespace Storefront.EndToEnd;

/// <summary>
/// Waits for the page a click leads to: its address, then its document loaded, as the page itself tells. Playwright's
/// wait for the load event once missed it on a busy machine (the page was there, the wait ran out); asking the document
/// does not depend on an event having been seen.
/// </summary>
internal static class Arrival
{
    public static Task WaitForPageAsync(this IPage page, string url, float? timeout = null) =>
        LoadedAsync(page, page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit, Timeout = timeout }), timeout);

    public static Task WaitForPageAsync(this IPage page, Func<string, bool> url, float? timeout = null) =>
        LoadedAsync(page, page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit, Timeout = timeout }), timeout);

    private static async Task LoadedAsync(IPage page, Task committed, float? timeout)
    {
        await committed;
        await page.WaitForFunctionAsync("document.readyState === 'complete'", null, new() { Timeout = timeout });
    }
}
