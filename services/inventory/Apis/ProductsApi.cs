using Inventory.Data;
using Inventory.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api;
using Platform.Redis;

namespace Inventory.Apis;

public static class ProductsApi
{
    private static readonly TimeSpan ListCacheTtl = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder endpoints)
    {
        var products = endpoints.MapGroup("/api/inventory/products").WithTags("Products");
        products.MapGet("/", ListProducts).WithName("ListProducts").WithSummary("A page of the catalogue, optionally in one category.");
        return endpoints;
    }

    private static async Task<Results<Ok<Paged<ProductResponse>>, ValidationProblem>> ListProducts(
        [AsParameters] PageRequest paging, string? category, InventoryDb db, FailOpenCache cache, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await cache.GetOrCreateAsync(
            $"products:list:{category}:{paging.Number}:{paging.Size}",
            ListCacheTtl,
            ct => db.Products.AsNoTracking()
                .Where(p => category == null || p.Category == category)
                .OrderBy(p => p.Name).ThenBy(p => p.Id)
                .Select(p => new ProductResponse(p.Id, p.Sku, p.Name, p.Description, p.Category, p.PriceCents, p.Currency))
                .ToPageAsync(paging, ct),
            cancellationToken);
        return TypedResults.Ok(page);
    }
}

public sealed record ProductResponse(Guid Id, string Sku, string Name, string Description, string Category, long PriceCents, string Currency);
