using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Storefront.Clients;
using Storefront.Sessions;

namespace Storefront.Apis;

public static class AdminEndpoints
{
    /// <summary>The largest picture inventory accepts, with room for the form around it.</summary>
    private const long MaxUploadBytes = 25 * 1024 * 1024 + 64 * 1024;

    /// <summary>
    /// A new picture of a product, the one admin route that is not a page: the browser posts the file in a form
    /// (antiforgery-checked), and the storefront asks inventory for an upload URL bound to its type and length and puts
    /// the file there. The admin's token stays here, as the shopper's does.
    /// </summary>
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/admin/products/{id:guid}/images", UploadImage).WithName("UploadProductImage")
            .DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes)).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<Results<RedirectHttpResult, BadRequest>> UploadImage(
        Guid id, HttpContext context, IAntiforgery antiforgery, ShopperSession session, InventoryApi inventory, ImageUploads uploads,
        CancellationToken cancellationToken)
    {
        // Only an admin's upload is read at all: the session needs the cookie alone, the form its whole body.
        var token = await session.RequireAdminTokenAsync(cancellationToken);
        IFormCollection form;
        try
        {
            if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
            {
                return TypedResults.BadRequest();
            }

            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Back(id, "refused");
        }

        if (form.Files.GetFile("image") is not { Length: > 0 } image)
        {
            return Back(id, "refused");
        }

        ImageUpload upload;
        try
        {
            upload = await inventory.ImageUploadAsync(id, image.ContentType, image.Length, token, cancellationToken);
        }
        catch (ApiProblemException)
        {
            return Back(id, "refused"); // not an image, too large, or the product has all its pictures
        }

        // Inventory linked the key before the file is there: a picture S3 did not take gives its place back, rather
        // than showing broken for good.
        bool stored;
        try
        {
            await using var stream = image.OpenReadStream();
            stored = await uploads.PutAsync(upload, stream, image.ContentType, image.Length, cancellationToken);
        }
        catch
        {
            await inventory.RemoveImageAsync(id, upload.Key, token, CancellationToken.None);
            throw;
        }

        if (!stored)
        {
            await inventory.RemoveImageAsync(id, upload.Key, token, cancellationToken);
            return Back(id, "refused");
        }

        return Back(id, "uploaded");
    }

    private static RedirectHttpResult Back(Guid product, string done) => TypedResults.Redirect($"/admin/products/{product}?done={done}");
}
