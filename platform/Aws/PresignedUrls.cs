using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Platform.Aws;

/// <summary>A URL that grants one S3 operation on one object until <see cref="ExpiresAt"/>.</summary>
public sealed record PresignedUrl(string Url, DateTimeOffset ExpiresAt);

/// <summary>Presigned S3 URLs, signed by the SDK; over plain HTTP only when the endpoint is a local emulator's.</summary>
public sealed class PresignedUrls(IAmazonS3 s3, IOptions<AwsOptions> aws, TimeProvider time)
{
    public Task<PresignedUrl> DownloadAsync(string bucket, string key, TimeSpan lifetime) =>
        SignAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = key, Verb = HttpVerb.GET }, lifetime);

    /// <summary>
    /// Signs the request as given, so whatever it pins (for example <c>ContentType</c> and a <c>Content-Length</c>
    /// header) is part of the signature and S3 refuses an upload that differs.
    /// </summary>
    public async Task<PresignedUrl> SignAsync(GetPreSignedUrlRequest request, TimeSpan lifetime)
    {
        var expiresAt = time.GetUtcNow().Add(lifetime);
        request.Expires = expiresAt.UtcDateTime;
        request.Protocol = aws.Value.EndpointUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;
        return new PresignedUrl(await s3.GetPreSignedURLAsync(request), expiresAt);
    }
}
