using System.ComponentModel.DataAnnotations;
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
    private static readonly TimeSpan ProductCacheTtl = TimeSpan.FromSeconds(60);
    private const int MaxSearchLength = 100;
    private const string LikeEscape = @"\";
    private static readonly TimeSpan ListCacheTtl = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder endpoints)
    {
        var products = endpoints.MapGroup("/api/inventory/products").WithTags("Products");
        products.MapGet("/", ListProducts).Produces<Paged<ProductResponse>>()
            .WithName("ListProducts").WithSummary("A page of the catalogue, optionally in one category.");
        products.MapGet("/{id:guid}", GetProduct).Produces<ProductResponse>().WithName("GetProduct").WithSummary("One product.");
        products.MapPost("/", CreateProduct).RequireAuthorization(Roles.Admin).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateProduct").WithSummary("Add a product to the catalogue (admin); the sku is unique.");
        products.MapPut("/{id:guid}", ReplaceProduct).RequireAuthorization(Roles.Admin).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("ReplaceProduct").WithSummary("Replace a product's details (admin); the sku stays unique.");
        products.MapDelete("/{id:guid}", DeleteProduct).RequireAuthorization(Roles.Admin).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("DeleteProduct").WithSummary("Remove a product and its stock (admin); 409 while any of it is reserved.");
        products.MapPost("/{id:guid}/images", AddImage).RequireAuthorization(Roles.Admin).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("AddProductImage").WithSummary("A presigned S3 PUT for a new image of the product (admin): JPEG, PNG or WebP, at most 25 MB.");
        products.MapDelete("/{id:guid}/images/{file}", RemoveImage).RequireAuthorization(Roles.Admin)
            .WithName("RemoveProductImage")
            .WithSummary("Unlink an image from the product (admin), by the last part of its key; one never uploaded frees its place.");
        return endpoints;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> ListProducts(
        [AsParameters] PageRequest paging, [MaxLength(MaxSearchLength)] string? search, [MaxLength(ProductRules.MaxCategoryLength)] string? category,
        InventoryDb db, FailOpenCache cache, ProductImages images, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return errors.ToProblem();
        }

        if (search is { Length: > MaxSearchLength })
        {
            return ValidationErrors.Problem("search", $"search is at most {MaxSearchLength} characters.");
        }

        // No category is longer, so a longer one is a mistake, not an empty page.
        if (category is { Length: > ProductRules.MaxCategoryLength })
        {
            return ValidationErrors.Problem("category", $"category is at most {ProductRules.MaxCategoryLength} characters.");
        }

        var pattern = string.IsNullOrWhiteSpace(search) ? null : $"%{EscapeLike(search.Trim())}%";
        var page = await cache.GetOrCreateJsonInFamilyAsync(
            "product_list", ListCache,
            // The category's length keeps the key unambiguous whatever characters the filters hold.
            $"{paging.Number}:{paging.Size}:{category?.Length}:{category}:{pattern}:response",
            ListCacheTtl,
            async ct =>
            {
                var products = await Matching(db.Products.AsNoTracking(), category, pattern)
                    .OrderBy(p => p.Name).ThenBy(p => p.Id)
                    .ToPageAsync(paging, ct);
                var items = new List<ProductResponse>();
                foreach (var product in products.Items)
                {
                    items.Add(await ProductResponse.FromAsync(product, images));
                }

                return new Paged<ProductResponse>(items, products.Page, products.PageSize, products.TotalCount);
            },
            cancellationToken);
        return TypedResults.Bytes(page, ApiJson.ContentType);
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> GetProduct(
        Guid id, InventoryDb db, FailOpenCache cache, ProductImages images, CancellationToken cancellationToken)
    {
        // A family of one: a write moves its generation on, so a read that raced the write cannot put the old row back.
        // The response is cached, image URLs included: presigned for an hour, they outlive the entry's minute.
        var product = await cache.GetOrCreateJsonInFamilyAsync(
            "product", ProductCache(id), "response", ProductCacheTtl,
            async ct => await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) is { } found
                ? await ProductResponse.FromAsync(found, images)
                : null,
            cancellationToken);
        return FailOpenCache.IsNull(product) ? TypedResults.NotFound() : TypedResults.Bytes(product, ApiJson.ContentType);
    }

    private static async Task<Results<Created<PresignedUpload>, ValidationProblem, NotFound, ProblemHttpResult>> AddImage(
        Guid id, ImageRequest request, InventoryDb db, FailOpenCache cache, ProductImages images, CancellationToken cancellationToken)
    {
        if (ProductImageRules.Errors(request.ContentType, request.ContentLength) is { } errors)
        {
            return errors.ToProblem();
        }

        var key = ProductImageRules.NewKey(id, request.ContentType!);
        // Appending in one statement, guarded by the count, so two uploads at once cannot pass the limit together.
        var added = await db.Database.ExecuteSqlAsync($"""
            UPDATE products SET image_keys = array_append(image_keys, {key})
            WHERE id = {id} AND cardinality(image_keys) < {ProductImageRules.MaxImagesPerProduct}
            """, cancellationToken);
        if (added == 0)
        {
            return await db.Products.AnyAsync(p => p.Id == id, cancellationToken)
                ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many images",
                    detail: $"A product has at most {ProductImageRules.MaxImagesPerProduct} images.")
                : TypedResults.NotFound();
        }

        await InvalidateAsync(cache, id);
        var upload = await images.UploadAsync(key, request.ContentType!, request.ContentLength!.Value);
        return TypedResults.Created($"/api/inventory/products/{id}", new PresignedUpload(key, upload.Url, upload.ExpiresAt));
    }

    private static async Task<Results<NoContent, NotFound>> RemoveImage(
        Guid id, [MaxLength(ProductImageRules.MaxFileLength)] string file, InventoryDb db, FailOpenCache cache, CancellationToken cancellationToken)
    {
        var key = $"products/{id}/{file}";
        var removed = await db.Database.ExecuteSqlAsync(
            $"UPDATE products SET image_keys = array_remove(image_keys, {key}) WHERE id = {id} AND {key} = ANY(image_keys)", cancellationToken);
        if (removed == 0)
        {
            return TypedResults.NotFound();
        }

        await InvalidateAsync(cache, id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<ProductResponse>, ValidationProblem, ProblemHttpResult>> CreateProduct(
        ProductRequest request, InventoryDb db, FailOpenCache cache, ProductImages images, CancellationToken cancellationToken)
    {
        if (ProductRules.Errors(request.Sku, request.Name, request.Description, request.Category, request.PriceCents, request.Currency) is { } errors)
        {
            return errors.ToProblem();
        }

        var product = request.ToProduct();
        db.Products.Add(product);
        if (await SaveAsync(db, cache, product, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return TypedResults.Created($"/api/inventory/products/{product.Id}", await ProductResponse.FromAsync(product, images));
    }

    private static async Task<Results<Ok<ProductResponse>, ValidationProblem, NotFound, ProblemHttpResult>> ReplaceProduct(
        Guid id, ProductRequest request, InventoryDb db, FailOpenCache cache, ProductImages images, CancellationToken cancellationToken)
    {
        if (ProductRules.Errors(request.Sku, request.Name, request.Description, request.Category, request.PriceCents, request.Currency) is { } errors)
        {
            return errors.ToProblem();
        }

        if (await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is not { } product)
        {
            return TypedResults.NotFound();
        }

        request.ApplyTo(product);
        if (await SaveAsync(db, cache, product, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return TypedResults.Ok(await ProductResponse.FromAsync(product, images));
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteProduct(
        Guid id, InventoryDb db, FailOpenCache cache, CancellationToken cancellationToken)
    {
        var deleted = await db.InTransactionAsync(async ct =>
        {
            // Locks the product's stock rows (in the order every writer of stock uses), so no reservation can take some
            // while the product goes.
            var stock = await db.Stock.Where(s => s.ProductId == id).OrderBy(s => s.LocationId).ForUpdate()
                .AsNoTracking().ToListAsync(ct);
            if (stock.Any(s => s.Reserved > 0))
            {
                return (int?)null;
            }

            return await db.Products.Where(p => p.Id == id).ExecuteDeleteAsync(ct);
        }, cancellationToken);

        if (deleted is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Reserved",
                detail: "Some of this product is held by pending reservations.");
        }

        await InvalidateAsync(cache, id);
        return deleted == 1 ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>Saves a created or changed product and makes every cached list stale; a taken sku is a 409.</summary>
    private static async Task<ProblemHttpResult?> SaveAsync(InventoryDb db, FailOpenCache cache, Product product, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Duplicate sku", detail: $"A product with sku {product.Sku} exists.");
        }

        await InvalidateAsync(cache, product.Id);
        return null;
    }

    private static string ProductCache(Guid id) => $"products:{id}";

    /// <summary>
    /// After a committed write: the product and every list page go stale at once. If Redis cannot be reached the
    /// entries expire on their own (60 s, 30 s); while it cannot be reached, reads go to PostgreSQL anyway.
    /// </summary>
    private static async Task InvalidateAsync(FailOpenCache cache, Guid id)
    {
        await cache.InvalidateFamilyAsync(ProductCache(id));
        await cache.InvalidateFamilyAsync(ListCache);
    }

    private static IQueryable<Product> Matching(IQueryable<Product> products, string? category, string? pattern)
    {
        if (category is not null)
        {
            products = products.Where(p => p.Category == category);
        }

        // ILIKE on each column, so each can use its trigram index.
        return pattern is null
            ? products
            : products.Where(p => EF.Functions.ILike(p.Name, pattern, LikeEscape) || EF.Functions.ILike(p.Description, pattern, LikeEscape));
    }

    /// <summary>The search term as a literal inside a LIKE pattern: its own % and _ match only themselves.</summary>
    private static string EscapeLike(string term) =>
        term.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}

/// <summary>The attributes state <see cref="ProductRules"/>' bounds in the OpenAPI document; the rules enforce them.</summary>
public sealed record ProductRequest(
    [property: MaxLength(ProductRules.MaxSkuLength), RegularExpression(ProductRules.SkuPatternText)] string? Sku,
    [property: MaxLength(ProductRules.MaxNameLength)] string? Name,
    [property: MaxLength(ProductRules.MaxDescriptionLength)] string? Description,
    [property: MaxLength(ProductRules.MaxCategoryLength), RegularExpression(ProductRules.CategoryPatternText)] string? Category,
    [property: Range(typeof(long), "0", "9223372036854775807")] long? PriceCents,
    [property: Length(ProductRules.CurrencyLength, ProductRules.CurrencyLength), RegularExpression(ProductRules.CurrencyPatternText)] string? Currency)
{
    public Product ToProduct()
    {
        var product = new Product { Sku = "", Name = "", Category = "", Currency = "" }; // ApplyTo sets them all
        ApplyTo(product);
        return product;
    }

    /// <summary>Copies the request onto <paramref name="product"/>; call it only once <see cref="ProductRules"/> finds no errors.</summary>
    public void ApplyTo(Product product)
    {
        product.Sku = Sku!;
        product.Name = Name!.Trim();
        product.Description = Description?.Trim() ?? "";
        product.Category = Category!;
        product.PriceCents = PriceCents!.Value;
        product.Currency = Currency!;
    }
}

public sealed record ProductResponse(
    Guid Id, string Sku, string Name, string Description, string Category, long PriceCents, string Currency, IReadOnlyList<string> ImageUrls)
{
    public static async Task<ProductResponse> FromAsync(Product product, ProductImages images) =>
        new(product.Id, product.Sku, product.Name, product.Description, product.Category, product.PriceCents, product.Currency,
            await images.UrlsAsync(product.ImageKeys));
}

/// <summary>The attributes state <see cref="ProductImageRules"/>' bounds in the OpenAPI document; the rules enforce them.</summary>
public sealed record ImageRequest(
    [property: MaxLength(ProductImageRules.MaxContentTypeLength)] string? ContentType,
    [property: Range(1, ProductImageRules.MaxBytes)] long? ContentLength);

/// <summary>Where to PUT the image (with exactly the declared Content-Type and Content-Length) and until when.</summary>
public sealed record PresignedUpload(string Key, string UploadUrl, DateTimeOffset ExpiresAt);
