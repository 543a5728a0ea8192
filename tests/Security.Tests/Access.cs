namespace Security.Tests;

/// <summary>Who may call an operation, as docs/api.md's tables say.</summary>
public enum Caller
{
    Anyone,
    Stripe,
    Customer,
    Admin,
}

/// <summary>
/// docs/api.md's "who" column for every operation, which the tests hold the services to. Kept by hand on purpose: it is
/// the contract, and <see cref="API9_ImproperInventoryManagement"/> fails when an OpenAPI document has an operation this
/// table does not place, so a new route is never left out of the authorization tests.
/// </summary>
public static class Access
{
    public static readonly IReadOnlyDictionary<string, Caller> Operations = new Dictionary<string, Caller>
    {
        ["GET /api/inventory/products"] = Caller.Anyone,
        ["GET /api/inventory/products/{id}"] = Caller.Anyone,
        ["POST /api/inventory/products"] = Caller.Admin,
        ["PUT /api/inventory/products/{id}"] = Caller.Admin,
        ["DELETE /api/inventory/products/{id}"] = Caller.Admin,
        ["GET /api/inventory/products/{id}/stock"] = Caller.Anyone,
        ["PUT /api/inventory/products/{id}/stock/{locationId}"] = Caller.Admin,
        ["POST /api/inventory/products/{id}/images"] = Caller.Admin,
        ["DELETE /api/inventory/products/{id}/images/{file}"] = Caller.Admin,
        ["POST /api/inventory/reservations"] = Caller.Customer,
        ["GET /api/inventory/reservations/{id}"] = Caller.Customer,
        ["POST /api/inventory/reservations/{id}/release"] = Caller.Customer,
        ["GET /api/inventory/personal-data"] = Caller.Customer,

        ["POST /api/customers/register"] = Caller.Anyone,
        ["POST /api/customers/login"] = Caller.Anyone,
        ["POST /api/customers/refresh"] = Caller.Anyone,
        ["POST /api/customers/logout"] = Caller.Customer,
        ["GET /api/customers/me"] = Caller.Customer,
        ["PATCH /api/customers/me"] = Caller.Customer,
        ["DELETE /api/customers/me"] = Caller.Customer,
        ["POST /api/customers/me/export"] = Caller.Customer,
        ["GET /api/customers/me/export/{id}"] = Caller.Customer,
        ["GET /api/customers"] = Caller.Admin,
        ["GET /api/customers/{id}"] = Caller.Admin,
        ["GET /api/customers/.well-known/jwks.json"] = Caller.Anyone,

        ["POST /api/payments"] = Caller.Customer,
        ["GET /api/payments"] = Caller.Customer,
        ["GET /api/payments/{id}"] = Caller.Customer,
        ["POST /api/payments/{id}/refunds"] = Caller.Admin,
        ["GET /api/payments/personal-data"] = Caller.Customer,
        ["POST /api/payments/webhooks/stripe"] = Caller.Stripe,

        ["GET /api/locations"] = Caller.Anyone,
        ["GET /api/locations/{id}"] = Caller.Anyone,
        ["GET /api/locations/cities"] = Caller.Anyone,
        ["POST /api/locations"] = Caller.Admin,
        ["PUT /api/locations/{id}"] = Caller.Admin,
        ["DELETE /api/locations/{id}"] = Caller.Admin,
        ["GET /api/locations/nearby"] = Caller.Anyone,
    };

    /// <summary>"GET /api/payments/" → "GET /api/payments"; "{id:guid}" → "{id}".</summary>
    public static string Key(string method, string path) =>
        $"{method.ToUpperInvariant()} {System.Text.RegularExpressions.Regex.Replace(path, "{([^}:]+)(:[^}]*)?}", "{$1}").TrimEnd('/')}";

    public static Caller? Of(string method, string path) => Operations.TryGetValue(Key(method, path), out var caller) ? caller : null;
}
