using Inventory.Data;
using Inventory.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api;
using Platform.Postgres;
using Platform.Redis;
using Platform.Security;

namespace Inventory.Apis;

public static class ProductsApi
{
    private const string ListCache = "products:list";
    private static readonly TimeSpan ListCacheTtl = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder endpoints)
    {
        var products = endpoints.MapGroup("/api/inventory/products").WithTags("Products");
        products.MapGet("/", ListProducts).WithName("ListProducts").WithSummary("A page of the catalogue, optionally in one category.");
        products.MapGet("/{id:guid}", GetProduct).WithName("GetProduct").WithSummary("One product.");
        products.MapPost("/", CreateProduct).RequireAuthorization(Roles.Admin)
            .WithName("CreateProduct").WithSummary("Add a product to the catalogue (admin); the sku is unique.");
        return endpoints;
    }

    private static async Task<Results<Ok<Paged<ProductResponse>>, ValidationProblem>> ListProducts(
        [AsParameters] PageRequest paging, string? category, InventoryDb db, FailOpenCache cache, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await cache.GetOrCreateInFamilyAsync(
            ListCache,
            $"{category}:{paging.Number}:{paging.Size}",
            ListCacheTtl,
            ct => db.Products.AsNoTracking()
                .Where(p => category == null || p.Category == category)
                .OrderBy(p => p.Name).ThenBy(p => p.Id)
                .Select(p => new ProductResponse(p.Id, p.Sku, p.Name, p.Description, p.Category, p.PriceCents, p.Currency))
                .ToPageAsync(paging, ct),
            cancellationToken);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<ProductResponse>, NotFound>> GetProduct(Guid id, InventoryDb db, CancellationToken cancellationToken) =>
        await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } product
            ? TypedResults.Ok(ProductResponse.From(product))
            : TypedResults.NotFound();

    private static async Task<Results<Created<ProductResponse>, ValidationProblem, ProblemHttpResult>> CreateProduct(
        ProductRequest request, InventoryDb db, FailOpenCache cache, CancellationToken cancellationToken)
    {
        if (ProductRules.Errors(request.Sku, request.Name, request.Description, request.Category, request.PriceCents, request.Currency) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var product = new Product
        {
            Sku = request.Sku!,
            Name = request.Name!.Trim(),
            Description = request.Description?.Trim() ?? "",
            Category = request.Category!,
            PriceCents = request.PriceCents!.Value,
            Currency = request.Currency!,
        };
        db.Products.Add(product);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Duplicate sku", detail: $"A product with sku {product.Sku} exists.");
        }

        await cache.InvalidateFamilyAsync(ListCache);
        return TypedResults.Created($"/api/inventory/products/{product.Id}", ProductResponse.From(product));
    }
}

public sealed record ProductRequest(string? Sku, string? Name, string? Description, string? Category, long? PriceCents, string? Currency);

public sealed record ProductResponse(Guid Id, string Sku, string Name, string Description, string Category, long PriceCents, string Currency)
{
    public static ProductResponse From(Product product) =>
        new(product.Id, product.Sku, product.Name, product.Description, product.Category, product.PriceCents, product.Currency);
}
