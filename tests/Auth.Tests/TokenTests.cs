using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Auth.Tests;

public sealed class TokenTests(Stack stack) : IClassFixture<Stack>
{
    private static readonly string[] ServiceNames = ["customers", "inventory", "payments", "locations"];

    public static TheoryData<string> Services => [.. ServiceNames];

    public static TheoryData<string, string> ServicesAndDefects
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var service in ServiceNames)
            {
                foreach (var defect in new[] { "expired", "tampered", "alg none", "signed with another key", "wrong audience", "wrong issuer",
                    "HS256 with the public key", "RS256 under customers' key id" })
                {
                    data.Add(service, defect);
                }
            }

            return data;
        }
    }

    [Theory]
    [InlineData("inventory")]
    [InlineData("locations")]
    public async Task An_admin_token_from_customers_is_accepted_by_an_admin_route_and_a_customer_token_gets_403(string service)
    {
        var admin = await LoginAsync(Stack.AdminEmail, Stack.AdminPassword);
        var customer = await NewCustomerTokenAsync();

        var asAdmin = await SendAsync(service, admin);
        var asCustomer = await SendAsync(service, customer);

        Assert.Equal(HttpStatusCode.Created, asAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asCustomer.StatusCode);
    }

    [Fact]
    public async Task A_customer_token_from_customers_reaches_a_customer_route_on_payments()
    {
        var customer = await NewCustomerTokenAsync();

        var response = await SendAsync("payments", customer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_token_built_here_with_customers_key_and_claims_is_accepted(string service)
    {
        // The control for the test below: the same construction without a defect passes, so each 401 there is the defect's.
        var token = await ForgeAsync("none");

        var response = await SendAsync(service, token);

        Assert.True(response.IsSuccessStatusCode, $"{service} answered {(int)response.StatusCode}");
    }

    [Theory]
    [MemberData(nameof(ServicesAndDefects))]
    public async Task API2_a_defective_token_is_401_on_every_service(string service, string defect)
    {
        var token = await ForgeAsync(defect);

        var response = await SendAsync(service, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>An admin token with a live session, given one <paramref name="defect"/>.</summary>
    private async Task<string> ForgeAsync(string defect)
    {
        var real = new JsonWebToken(await LoginAsync(Stack.AdminEmail, Stack.AdminPassword));
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = "mycomputer-customers",
            Audience = "mycomputer-api",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = real.Claims.Where(c => c.Type is "sub" or "email" or "role" or "sid").ToDictionary(c => c.Type, c => (object)c.Value),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(Stack.SigningKey) { KeyId = Stack.KeyId }, SecurityAlgorithms.EcdsaSha256),
        };
        var handler = new JsonWebTokenHandler();
        switch (defect)
        {
            case "none":
                break;
            case "expired":
                (descriptor.IssuedAt, descriptor.NotBefore, descriptor.Expires) = (now.AddMinutes(-20), now.AddMinutes(-20), now.AddMinutes(-5));
                break;
            case "tampered":
                return Tamper(await NewCustomerTokenAsync());
            case "alg none":
                return Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + real.EncodedPayload + ".";
            case "signed with another key":
                descriptor.SigningCredentials = new SigningCredentials(
                    new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = Stack.KeyId }, SecurityAlgorithms.EcdsaSha256);
                break;
            case "wrong audience":
                descriptor.Audience = "another-api";
                break;
            case "wrong issuer":
                descriptor.Issuer = "someone-else";
                break;
            case "HS256 with the public key":
                // Algorithm confusion: an HMAC keyed with the published public key.
                var publicKey = Encoding.UTF8.GetBytes(Stack.SigningKey.ExportSubjectPublicKeyInfoPem());
                descriptor.SigningCredentials = new SigningCredentials(
                    new SymmetricSecurityKey(publicKey) { KeyId = Stack.KeyId }, SecurityAlgorithms.HmacSha256);
                break;
            case "RS256 under customers' key id":
                // Only ES256 is issued, so only ES256 is accepted, whatever key a JWKS document might hold.
                descriptor.SigningCredentials = new SigningCredentials(
                    new RsaSecurityKey(RSA.Create(2048)) { KeyId = Stack.KeyId }, SecurityAlgorithms.RsaSha256);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(defect), defect, null);
        }

        return handler.CreateToken(descriptor);
    }

    /// <summary>A customer's real token with its role changed to admin and its signature kept.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["role"] = "admin";
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    private Task<HttpResponseMessage> SendAsync(string service, string token)
    {
        var (client, request) = service switch
        {
            "customers" => (stack.Customers.CreateClient(), new HttpRequestMessage(HttpMethod.Get, "/api/customers/")),
            "inventory" => (stack.Inventory.CreateClient(), new HttpRequestMessage(HttpMethod.Post, "/api/inventory/products")
            {
                Content = JsonContent.Create(new
                {
                    sku = $"SKU-{Guid.NewGuid():N}".ToUpperInvariant()[..20], name = "Dock", category = "accessories", priceCents = 19_900, currency = "EUR",
                }),
            }),
            "payments" => (stack.Payments.CreateClient(), new HttpRequestMessage(HttpMethod.Get, "/api/payments/")),
            "locations" => (stack.Locations.CreateClient(), new HttpRequestMessage(HttpMethod.Post, "/api/locations/")
            {
                Content = JsonContent.Create(new
                {
                    name = "MyComputer Galway", address = "Shop Street 1", city = "Galway", country = "IE", latitude = 53.2727, longitude = -9.0522,
                    timeZone = "Europe/Dublin", openingHours = new[] { new { day = "monday", opens = "09:00", closes = "18:00" } },
                }),
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private async Task<string> NewCustomerTokenAsync()
    {
        var email = $"customer-{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery staple";
        (await stack.Customers.CreateClient().PostAsJsonAsync("/api/customers/register", new { email, password, name = "Alan Turing" }))
            .EnsureSuccessStatusCode();
        return await LoginAsync(email, password);
    }

    private async Task<string> LoginAsync(string email, string password)
    {
        var response = await stack.Customers.CreateClient().PostAsJsonAsync("/api/customers/login", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
    }
}
