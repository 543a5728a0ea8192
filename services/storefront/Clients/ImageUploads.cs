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

    public async Task PutAsync(ImageUpload upload, Stream image, string contentType, long contentLength, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(image);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Headers.ContentLength = contentLength;
        try
        {
            using var response = await http.PutAsync(upload.UploadUrl, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new DependencyUnavailableException(Dependency, $"The image upload was answered {(int)response.StatusCode}.");
            }
        }
        catch (HttpRequestException exception)
        {
            throw new DependencyUnavailableException(Dependency, "The image store could not be reached.", exception);
        }
    }
}
