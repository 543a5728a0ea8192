using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Storefront.EndToEnd;

/// <summary>
/// Waits for the page a click leads to: its address, then its document loaded, both read from the page itself.
/// Playwright's <c>WaitForURLAsync</c>, when the address already matched, waited for a load state it never saw on a busy
/// machine, though the page was there (twice, on the product page); reading the address and the document's
/// <c>readyState</c> does not depend on an event having been seen.
/// </summary>
internal static partial class Arrival
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary><paramref name="url"/> is a glob as Playwright's: <c>**</c> any text, <c>*</c> any text but <c>/</c>.</summary>
    public static Task WaitForPageAsync(this IPage page, string url, float? timeout = null)
    {
        var pattern = new Regex("^" + GlobPart().Replace(Regex.Escape(url), m => m.Value == @"\*\*" ? ".*" : "[^/]*") + "$");
        return page.WaitForPageAsync(pattern.IsMatch, timeout);
    }

    public static async Task WaitForPageAsync(this IPage page, Func<string, bool> url, float? timeout = null)
    {
        var patience = timeout is { } milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : Patience;
        var deadline = DateTime.UtcNow + patience;
        await UntilAsync(() => Task.FromResult(url(page.Url)), deadline,
            () => $"the page's address did not become the one expected within {patience.TotalSeconds} s: {page.Url}");
        // Asked from here rather than with WaitForFunctionAsync: that polls inside the page with eval, which the shop's
        // Content-Security-Policy refuses whenever the document is not complete at the first look.
        await UntilAsync(async () => await page.EvaluateAsync<string>("document.readyState") == "complete", deadline,
            () => $"the page at {page.Url} did not finish loading within {patience.TotalSeconds} s");
    }

    private static async Task UntilAsync(Func<Task<bool>> holds, DateTime deadline, Func<string> failure)
    {
        while (!await holds())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(failure());
            }

            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"\\\*\\\*|\\\*")]
    private static partial Regex GlobPart();
}
