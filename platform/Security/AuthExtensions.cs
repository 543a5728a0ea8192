using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Platform.Configuration;

namespace Platform.Security;

internal static class AuthExtensions
{
    /// <summary>
    /// Bearer tokens minted by the customers service: asymmetric signatures only (so no other service can mint one,
    /// and <c>alg: none</c> or an HMAC signed with a public key is refused), issuer, audience and lifetime checked.
    /// </summary>
    public static void AddPlatformAuth(this IHostApplicationBuilder builder)
    {
        builder.AddEnvironmentOptions<JwtOptions>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.RequireHttpsMetadata = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = jwt.Value.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                if (jwt.Value.JwksUrl is { } jwksUrl)
                {
                    bearer.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                        jwksUrl,
                        new JwksRetriever(),
                        new HttpDocumentRetriever { RequireHttps = jwksUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) });
                }
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Roles.Customer, policy => policy.RequireRole(Roles.Customer, Roles.Admin));
    }
}
