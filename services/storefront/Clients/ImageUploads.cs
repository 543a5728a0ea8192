using System.Net.Http.Headers;
using Platform.Errors;

namespace Storefront.Clients;

/// <summary>
/// Puts a product's picture where inventory's presigned URL says: S3 checks the signature, type and length. Sent once,
/// as the stream cannot be read twice; the admin uploads again if it failed.
/// </summary>
public sealed class ImageUploads(HttpClient http)
{
    public const string Dependency = "s3";

    /// <summary>True once S3 holds the picture, false when S3 refused it (4xx); S3 away is an outage.</summary>
    public async Task<bool> PutAsync(ImageUpload upload, Stream image, string contentType, long contentLength, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(image);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Headers.ContentLength = contentLength;
        try
        {
            using var response = await http.PutAsync(upload.UploadUrl, content, cancellationToken);
            return (int)response.StatusCode switch
            {
                < 300 => true,
                < 500 => false,
                var status => throw new DependencyUnavailableException(Dependency, $"The image upload was answered {status}."),
            };
        }
        catch (HttpRequestException exception)
        {
            throw new DependencyUnavailableException(Dependency, "The image store could not be reached.", exception);
        }
    }
}
