using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using Platform.Aws;

namespace Inventory.Apis;

/// <summary>URLs for product images: presigned S3 GETs, or CloudFront URLs when <c>ASSETS_CDN_DOMAIN</c> is set.</summary>
public sealed class ProductImages(PresignedUrls presigned, IOptions<InventoryOptions> options)
{
    private static readonly TimeSpan DownloadLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan UploadLifetime = TimeSpan.FromMinutes(15);

    public async Task<IReadOnlyList<string>> UrlsAsync(IEnumerable<string> keys)
    {
        var urls = new List<string>();
        foreach (var key in keys)
        {
            urls.Add(options.Value.AssetsCdnDomain is { Length: > 0 } cdn
                ? $"https://{cdn}/{key}"
                : (await presigned.DownloadAsync(options.Value.AssetsBucket, key, DownloadLifetime)).Url);
        }

        return urls;
    }

    /// <summary>
    /// A presigned PUT whose signature covers the content type and the exact length, so S3 refuses an upload of any
    /// other type or size: the 25 MB limit holds in the signed request, not only in our endpoint.
    /// </summary>
    public Task<PresignedUrl> UploadAsync(string key, string contentType, long contentLength)
    {
        var request = new GetPreSignedUrlRequest { BucketName = options.Value.AssetsBucket, Key = key, Verb = HttpVerb.PUT, ContentType = contentType };
        request.Headers.ContentLength = contentLength;
        return presigned.SignAsync(request, UploadLifetime);
    }
}
