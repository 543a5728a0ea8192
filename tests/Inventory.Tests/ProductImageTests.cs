using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;

namespace Inventory.Tests;

public sealed class ProductImageTests(ReservationsFixture inventory) : IClassFixture<ReservationsFixture>
{
    [Fact]
    public async Task An_admin_gets_a_presigned_put_the_image_is_uploaded_and_the_product_links_it()
    {
        var product = await inventory.NewProductAsync(onHand: 1);
        var image = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 };

        var response = await Admin().PostAsJsonAsync($"/api/inventory/products/{product}/images",
            new { contentType = "image/png", contentLength = image.Length });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var upload = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith($"products/{product}/", upload.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(".png", upload.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.True(upload.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var put = await PutAsync(upload.GetProperty("uploadUrl").GetString()!, image, "image/png");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var read = await inventory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/inventory/products/{product}");
        var url = Assert.Single(read.GetProperty("imageUrls").EnumerateArray()).GetString()!;
        using var http = new HttpClient();
        Assert.Equal(image, await http.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task An_image_is_unlinked_by_an_admin_alone_and_frees_its_place()
    {
        var product = await inventory.NewProductAsync(onHand: 1);
        var upload = await (await Admin().PostAsJsonAsync($"/api/inventory/products/{product}/images",
            new { contentType = "image/png", contentLength = 100 })).Content.ReadFromJsonAsync<JsonElement>();
        var file = upload.GetProperty("key").GetString()!.Split('/')[^1];
        var path = $"/api/inventory/products/{product}/images/{file}";

        var customer = await inventory.ClientWithToken(TestTokens.Customer()).DeleteAsync(path);
        var removed = await Admin().DeleteAsync(path);
        var again = await Admin().DeleteAsync(path);
        var otherProducts = await Admin().DeleteAsync($"/api/inventory/products/{await inventory.NewProductAsync(onHand: 1)}/images/{file}");

        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherProducts.StatusCode);
        var read = await inventory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/inventory/products/{product}");
        Assert.Equal(0, read.GetProperty("imageUrls").GetArrayLength());
    }

    [Fact]
    public async Task The_signature_covers_the_content_type_and_the_exact_length()
    {
        var product = await inventory.NewProductAsync(onHand: 1);

        var upload = await (await Admin().PostAsJsonAsync($"/api/inventory/products/{product}/images",
            new { contentType = "image/jpeg", contentLength = 25 * 1024 * 1024 })).Content.ReadFromJsonAsync<JsonElement>();

        var signedHeaders = HttpUtility.ParseQueryString(new Uri(upload.GetProperty("uploadUrl").GetString()!).Query)["X-Amz-SignedHeaders"]!.Split(';');
        Assert.Contains("content-length", signedHeaders);
        Assert.Contains("content-type", signedHeaders);
    }

    [Theory]
    [InlineData("image/gif", 1000, "contentType")]
    [InlineData("application/pdf", 1000, "contentType")]
    [InlineData("image/png", 25 * 1024 * 1024 + 1, "contentLength")]
    [InlineData("image/png", 0, "contentLength")]
    public async Task Other_types_and_sizes_over_25_mb_are_400_and_add_nothing(string contentType, long contentLength, string field)
    {
        var product = await inventory.NewProductAsync(onHand: 1);

        var response = await Admin().PostAsJsonAsync($"/api/inventory/products/{product}/images", new { contentType, contentLength });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        var read = await inventory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/inventory/products/{product}");
        Assert.Equal(0, read.GetProperty("imageUrls").GetArrayLength());
    }

    [Fact]
    public async Task Images_need_an_admin_and_a_known_product_and_stop_at_ten()
    {
        var product = await inventory.NewProductAsync(onHand: 1);
        var body = new { contentType = "image/webp", contentLength = 100 };

        var anonymous = await inventory.CreateClient().PostAsJsonAsync($"/api/inventory/products/{product}/images", body);
        var customer = await inventory.ClientWithToken(TestTokens.Customer()).PostAsJsonAsync($"/api/inventory/products/{product}/images", body);
        var unknown = await Admin().PostAsJsonAsync($"/api/inventory/products/{Guid.CreateVersion7()}/images", body);
        var tenAtOnce = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Admin().PostAsJsonAsync($"/api/inventory/products/{product}/images", body)));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(10, tenAtOnce.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(2, tenAtOnce.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task With_a_cloudfront_domain_image_urls_point_at_it()
    {
        var options = Microsoft.Extensions.Options.Options.Create(
            new InventoryOptions { AssetsBucket = "mycomputer-assets", AssetsCdnDomain = "d111111abcdef8.cloudfront.net" });
        var images = new Apis.ProductImages(inventory.Services.GetRequiredService<Platform.Aws.PresignedUrls>(), options);

        var urls = await images.UrlsAsync(["products/1/a.png", "products/1/b.webp"]);

        Assert.Equal(["https://d111111abcdef8.cloudfront.net/products/1/a.png", "https://d111111abcdef8.cloudfront.net/products/1/b.webp"], urls);
    }

    private HttpClient Admin() => inventory.ClientWithToken(TestTokens.Admin());

    private static async Task<HttpResponseMessage> PutAsync(string url, byte[] body, string contentType)
    {
        using var http = new HttpClient();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await http.PutAsync(url, content);
    }
}
