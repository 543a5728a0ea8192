using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Platform.Configuration;

namespace Platform.Security;

public static class AuthExtensions
{
    /// <summary>The named <see cref="HttpClient"/> that fetches the customers service's public keys.</summary>
    public const string JwksHttpClient = "jwks";

    /// <summary>
    /// Bearer tokens minted by the customers service: ES256 signatures only (so no other service can mint one, and
    /// <c>alg: none</c>, an HMAC signed with a public key or an RS256 token is refused), issuer, audience and lifetime
    /// checked. The public keys come from <c>JWT_JWKS_URL</c> (https outside local runs, or <c>JWT_JWKS_ALLOW_HTTP</c>),
    /// so no service but customers ever holds the private key.
    /// </summary>
    internal static void AddPlatformAuth(this IHostApplicationBuilder builder)
    {
        builder.AddEnvironmentOptions<JwtOptions>();
        var local = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Test");
        builder.Services.Configure<JwtOptions>(jwt => jwt.LocalEnvironment = local);
        builder.Services.AddHttpClient(JwksHttpClient);
        // The bearer scheme is asked by the policies that need a caller, not by the middleware for every request: to an
        // anonymous one (the catalogue, /health) it could only answer "no result", at about 2 µs (bench/analysis.md).
        // So there is no default scheme to authenticate with, not even the one ASP.NET Core makes of a single scheme.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        builder.Services.AddAuthentication(authentication =>
        {
            authentication.DefaultChallengeScheme = JwtBearerDefaults.AuthenticationScheme;
            authentication.DefaultForbidScheme = JwtBearerDefaults.AuthenticationScheme;
        }).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, IHttpClientFactory>((bearer, jwt, httpClients) =>
            {
                bearer.MapInboundClaims = false;
                bearer.RequireHttpsMetadata = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = jwt.Value.Audience,
                    // Only what the issuer signs with: a key of another type in the JWKS cannot sign an accepted token.
                    ValidAlgorithms = [JwtOptions.Algorithm],
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                if (jwt.Value.JwksUrl is { } jwksUrl && !jwt.Value.KeysInProcess)
                {
                    var documents = new HttpDocumentRetriever(httpClients.CreateClient(JwksHttpClient))
                    {
                        RequireHttps = jwksUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase),
                    };
                    bearer.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(jwksUrl, new JwksRetriever(), documents)
                    {
                        // A token with an unknown key id (a rotation) triggers a re-fetch at most this often.
                        RefreshInterval = TimeSpan.FromSeconds(30),
                        AutomaticRefreshInterval = TimeSpan.FromMinutes(10),
                    };
                }
            });
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(BearerPolicy().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Admin, BearerPolicy().RequireRole(Roles.Admin).Build())
            .AddPolicy(Roles.Customer, BearerPolicy().RequireRole(Roles.Customer, Roles.Admin).Build());
    }

    private static AuthorizationPolicyBuilder BearerPolicy() => new(JwtBearerDefaults.AuthenticationScheme);

    /// <summary>
    /// For the service that mints the tokens: it validates them against the keys it holds (<typeparamref name="TKeys"/>),
    /// so it needs no <c>JWT_JWKS_URL</c> and never calls itself over HTTP.
    /// </summary>
    public static IHostApplicationBuilder AddInProcessSigningKeys<TKeys>(this IHostApplicationBuilder builder)
        where TKeys : class, IConfigurationManager<OpenIdConnectConfiguration>
    {
        builder.Services.TryAddSingleton<TKeys>();
        builder.Services.Configure<JwtOptions>(jwt => jwt.KeysInProcess = true);
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<TKeys>((bearer, keys) => bearer.ConfigurationManager = keys);
        return builder;
    }
}
