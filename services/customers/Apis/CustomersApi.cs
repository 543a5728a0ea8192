using Customers.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api;
using Platform.Security;

namespace Customers.Apis;

public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder endpoints)
    {
        var customers = endpoints.MapGroup("/api/customers").WithTags("Customers");
        customers.MapGet("/", ListCustomers).RequireAuthorization(Roles.Admin)
            .WithName("ListCustomers").WithSummary("A page of customers (admin).");
        return endpoints;
    }

    private static async Task<Results<Ok<Paged<CustomerResponse>>, ValidationProblem>> ListCustomers(
        [AsParameters] PageRequest paging, CustomersDb db, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await db.Customers.AsNoTracking()
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Select(c => new CustomerResponse(c.Id, c.Email, c.Name, c.Role, c.CreatedAt))
            .ToPageAsync(paging, cancellationToken);
        return TypedResults.Ok(page);
    }
}

public sealed record CustomerResponse(Guid Id, string Email, string Name, string Role, DateTimeOffset CreatedAt);
