using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Security.Tests;

/// <summary>
/// OWASP API7:2023. No operation fetches a URL a client supplies: images are uploaded by the client straight to S3
/// through a presigned PUT, and the only outbound calls (JWKS, inventory, Stripe) go to configured addresses. What the
/// API lets a client name is checked here, from the documents and from the answers.
/// </summary>
public sealed partial class API7_ServerSideRequestForgery(Stack stack) : IClassFixture<Stack>
{
    private const string Metadata = "http://169.254.169.254/latest/meta-data/iam/security-credentials/";

    [StackFact]
    public async Task API7_no_documented_operation_takes_a_url_in_a_parameter_or_a_body()
    {
        var documents = await OpenApiDocument.FetchAllAsync(stack);

        var named = documents.SelectMany(document => document.Operations())
            .SelectMany(operation => operation.Parameters.Select(p => p.Name)
                .Concat(operation.Body is { } body ? operation.Document.PropertyNames(body) : [])
                .Where(name => UrlLike().IsMatch(name))
                .Select(name => $"{operation}: {name}"))
            .ToList();

        Assert.NotEmpty(documents.SelectMany(document => document.Operations()));
        Assert.Empty(named);
    }

    [StackFact]
    public async Task API7_an_image_upload_is_a_presigned_put_to_the_bucket_whatever_url_or_host_the_request_names()
    {
        var admin = await stack.AdminAsync();
        var shelf = await stack.NewShelfAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inventory/products/{shelf.ProductId}/images")
        {
            Content = JsonContent.Create(new { contentType = "image/png", contentLength = 1024 }),
        };
        request.Headers.Add("X-Forwarded-Host", "attacker.example");
        request.Headers.Add("X-Forwarded-Proto", "gopher");

        var upload = await (await admin.Http.SendAsync(request)).JsonAsync(HttpStatusCode.Created);
        var withUrl = await admin.Http.PostAsJsonAsync($"/api/inventory/products/{shelf.ProductId}/images",
            new { contentType = "image/png", contentLength = 1024, url = Metadata });

        var uploadUrl = new Uri(upload.GetProperty("uploadUrl").GetString()!);
        Assert.DoesNotContain("attacker", uploadUrl.Host, StringComparison.Ordinal);
        Assert.Contains(upload.GetProperty("key").GetString()!, Uri.UnescapeDataString(uploadUrl.AbsolutePath), StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", uploadUrl.Query, StringComparison.Ordinal);
        if (withUrl.StatusCode == HttpStatusCode.Created)
        {
            Assert.DoesNotContain("169.254", await withUrl.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        else
        {
            await withUrl.AssertProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [StackFact]
    public async Task API7_image_urls_sent_with_a_product_are_not_taken_so_nothing_is_fetched_or_shown_from_them()
    {
        var admin = (await stack.AdminAsync()).Http;

        var created = await admin.PostAsJsonAsync("/api/inventory/products", new
        {
            sku = $"SEC-{Guid.NewGuid():N}".ToUpperInvariant(),
            name = "zz security suite image urls",
            category = "security-suite",
            priceCents = 100,
            currency = "EUR",
            imageUrls = new[] { Metadata },
        });

        if (created.StatusCode == HttpStatusCode.Created)
        {
            var product = await created.JsonAsync(HttpStatusCode.Created);
            Assert.Empty(product.GetProperty("imageUrls").EnumerateArray());
            var id = product.GetProperty("id").GetGuid();
            Assert.Empty((await stack.Anonymous().Http.GetJsonAsync($"/api/inventory/products/{id}")).GetProperty("imageUrls").EnumerateArray());
            await admin.DeleteAsync($"/api/inventory/products/{id}");
        }
        else
        {
            await created.AssertProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [GeneratedRegex("url|uri|href|link|callback|webhook|redirect|endpoint|host|fetch", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlLike();
}
