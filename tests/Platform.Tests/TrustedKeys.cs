using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Tests;

/// <summary>Makes the platform test app trust these keys, as if its JWKS document published them.</summary>
internal static class TrustedKeys
{
    public static Action<WebApplicationBuilder> Only(params SecurityKey[] keys) => builder =>
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer =>
        {
            bearer.ConfigurationManager = null;
            bearer.TokenValidationParameters.IssuerSigningKeys = keys;
        });
}
