using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LoadGenerator;

/// <summary>
/// The storefront as shoppers' browsers use it, through the load balancer: the home page, a product list page and a
/// product page at 200 pages/s, and what a first visit to a product page transfers.
/// </summary>
public static partial class StorefrontScenarios
{
    public const string Name = "storefront pages";

    private const double PageRate = 200;
    private const double PageP99Ms = 100;
    private const long FirstVisitBudgetBytes = 150 * 1024;
    private const int CataloguePages = 50;
    private const int Products = 1_000;
    private const int MaxRetries = 5;

    public static Scenario Pages(BenchSettings settings, BenchData data)
    {
        var products = data.Products.Take(Products).ToList();
        var loadBalancer = settings.Urls["load-balancer"];
        // Each page a third of the load, as a shopper goes from the home page to a list to a product.
        Unit page = (client, ct) => OkAsync(client, Random.Shared.Next(3) switch
        {
            0 => "/",
            1 => $"/products?page={Random.Shared.Next(1, CataloguePages + 1)}",
            _ => $"/products/{products[Random.Shared.Next(products.Count)]}",
        }, ct);
        return new Scenario(Name, "load-balancer", "storefront", ScenarioKind.Mixed, page, [PageRate])
        {
            Run = async sampler =>
            {
                using var client = LoadRunner.Client(loadBalancer, null);
                var rate = PageRate * settings.RateScale;
                await LoadRunner.OpenLoopAsync("warm-up", client, page, rate, settings.Warmup, () => new Dictionary<string, ProcessUsage>());
                sampler.Start();
                var usage = new Lazy<IReadOnlyDictionary<string, ProcessUsage>>(sampler.Stop);
                var run = await LoadRunner.OpenLoopAsync($"{rate:0}/s", client, page, rate, settings.Duration, () => usage.Value);
                return new CustomRun([run],
                [
                    Target.AtRate(Name, $"home, product list and product pages at {PageRate:0}/s with p99 < {PageP99Ms:0} ms, no errors", run, PageP99Ms),
                    await FirstVisitFigureAsync(loadBalancer, $"/products/{products[0]}"),
                ]);
            },
        };
    }

    private static async Task<Target> FirstVisitFigureAsync(Uri site, string page)
    {
        var figure = $"a first visit to a product page transfers < {FirstVisitBudgetBytes / 1024} KB compressed (HTML, CSS, JS, fonts; images apart)";
        try
        {
            var firstVisit = await FirstVisitAsync(site, page);
            return new(Name, figure,
                $"{firstVisit.Sum(part => part.Bytes) / 1024.0:N1} KB: "
                + string.Join(", ", firstVisit.Select(part => $"{part.Path} {part.Bytes / 1024.0:N1} KB{(part.Encoding is { } e ? $" ({e})" : "")}")),
                firstVisit.Sum(part => part.Bytes) < FirstVisitBudgetBytes);
        }
        catch (HttpRequestException e)
        {
            // The run at its rate is measured already; a shop still overloaded after it fails this figure, not the run.
            return new(Name, figure, $"the first visit failed: {e.Message}", false);
        }
    }

    private static async Task<bool> OkAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>
    /// The page and what it links from this site (style sheets, scripts, and the fonts the style sheets load), each
    /// asked for as a browser does (<c>Accept-Encoding: br, gzip</c>) and counted as it came over the wire.
    /// </summary>
    private static async Task<List<Transferred>> FirstVisitAsync(Uri site, string page)
    {
        // Straight after the run at its rate the shop may still be shedding: a 503 is asked again after its Retry-After.
        using var client = new HttpClient(
            BusyRetry.Handler(MaxRetries, new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false }))
        {
            BaseAddress = site,
        };
        var transferred = new List<Transferred>();
        var html = await FetchAsync(client, page, transferred);
        var linked = StyleSheet().Matches(html).Concat(Script().Matches(html)).Select(match => match.Groups["url"].Value);
        foreach (var url in linked.Distinct().Where(url => new Uri(site, url).Host == site.Host))
        {
            var text = await FetchAsync(client, url, transferred);
            if (url.Contains(".css", StringComparison.Ordinal))
            {
                foreach (var font in Font().Matches(text).Select(match => new Uri(new Uri(site, url), match.Groups["url"].Value)).Distinct())
                {
                    await FetchAsync(client, font.PathAndQuery, transferred);
                }
            }
        }

        return transferred;
    }

    private static async Task<string> FetchAsync(HttpClient client, string path, List<Transferred> transferred)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync();
        var encoding = response.Content.Headers.ContentEncoding.FirstOrDefault();
        transferred.Add(new Transferred(path, body.Length, encoding));
        Stream decoded = encoding switch
        {
            "br" => new BrotliStream(new MemoryStream(body), CompressionMode.Decompress),
            "gzip" => new GZipStream(new MemoryStream(body), CompressionMode.Decompress),
            _ => new MemoryStream(body),
        };
        await using (decoded)
        {
            using var reader = new StreamReader(decoded, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
    }

    private sealed record Transferred(string Path, long Bytes, string? Encoding);

    [GeneratedRegex(@"<link[^>]+rel=""stylesheet""[^>]+href=""(?<url>[^""]+)""|<link[^>]+href=""(?<url>[^""]+)""[^>]+rel=""stylesheet""")]
    private static partial Regex StyleSheet();

    [GeneratedRegex(@"<script[^>]+src=""(?<url>[^""]+)""")]
    private static partial Regex Script();

    [GeneratedRegex(@"url\([""']?(?<url>[^""')]+\.(?:woff2?|ttf|otf)(?:\?[^""')]*)?)[""']?\)")]
    private static partial Regex Font();
}
