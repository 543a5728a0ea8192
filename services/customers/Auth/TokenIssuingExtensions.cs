using System.Security.Claims;
using Customers.Domain;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Platform.Configuration;
using Platform.Hosting;
using Platform.Secrets;
using Platform.Security;

namespace Customers.Auth;

public static class TokenIssuingExtensions
{
    /// <summary>
    /// What makes customers the issuer: the signing keys from <c>JWT_SECRET</c>, sessions and brute-force counters in
    /// Redis, password hashing, the admin bootstrap, and validation of its own tokens that also requires a live session.
    /// </summary>
    public static WebApplicationBuilder AddTokenIssuing(this WebApplicationBuilder builder)
    {
        builder.AddEnvironmentOptions<CustomersOptions>();
        builder.AddSecret(SigningKeys.SecretName);
        builder.AddInProcessSigningKeys<SigningKeys>();
        builder.Services.AddSingleton<AccessTokens>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<LoginMetrics>();
        builder.Services.AddSingleton<IPasswordHasher<Customer>, PasswordHasher<Customer>>();
        builder.Services.AddSingleton<Passwords>();

        builder.DeclareSecret(AdminBootstrap.PasswordSecret); // required only with ADMIN_EMAIL
        if (!string.IsNullOrEmpty(builder.Configuration["ADMIN_EMAIL"]))
        {
            RequiredVariables.RequireSecret(builder, AdminBootstrap.PasswordSecret);
        }

        builder.Services.AddSingleton<IStartupTask, AdminBootstrap>();

        // Here a token is only as good as its session: after logout or erasure it stops working at once.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<Sessions>((bearer, sessions) => bearer.Events = new JwtBearerEvents
            {
                OnTokenValidated = async context =>
                {
                    if (context.Principal?.FindFirstValue(AccessTokens.SessionClaim) is not { } sessionId || !await sessions.IsActiveAsync(sessionId))
                    {
                        context.Fail("The session has ended.");
                    }
                },
            });
        return builder;
    }
}
