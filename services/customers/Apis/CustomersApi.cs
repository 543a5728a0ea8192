using Customers.Data;
using Customers.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api;
using Platform.Security;

namespace Customers.Apis;

public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder endpoints)
    {
        var customers = endpoints.MapGroup("/api/customers").WithTags("Customers").RequireAuthorization(Roles.Admin);
        customers.MapGet("/", ListCustomers).WithName("ListCustomers").WithSummary("A page of customers (admin).");
        customers.MapGet("/{id:guid}", GetCustomer).WithName("GetCustomer").WithSummary("One customer (admin).");
        return endpoints;
    }

    private static async Task<Results<Ok<Paged<CustomerResponse>>, ValidationProblem>> ListCustomers(
        [AsParameters] PageRequest paging, CustomersDb db, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return errors.ToProblem();
        }

        var page = await db.Customers.AsNoTracking()
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Select(c => new CustomerResponse(c.Id, c.Email, c.Name, c.Role, c.CreatedAt))
            .ToPageAsync(paging, cancellationToken);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<CustomerResponse>, NotFound>> GetCustomer(Guid id, CustomersDb db, CancellationToken cancellationToken) =>
        await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is { } customer
            ? TypedResults.Ok(CustomerResponse.From(customer))
            : TypedResults.NotFound();
}

/// <summary>A customer as the API shows them: never the password hash.</summary>
public sealed record CustomerResponse(Guid Id, string Email, string Name, string Role, DateTimeOffset CreatedAt)
{
    public static CustomerResponse From(Customer customer) => new(customer.Id, customer.Email, customer.Name, customer.Role, customer.CreatedAt);
}
