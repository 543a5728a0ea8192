using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Storefront.Components.Pages;

namespace Storefront.Pages;

public static class StorefrontPagesExtensions
{
    /// <summary>
    /// Razor components rendered on the server (no interactive render mode: every page is HTML, every form a POST with
    /// an antiforgery token), an antiforgery cookie as strict as the session's, and error pages instead of the APIs'
    /// problem details: a shopper sees a page, never JSON.
    /// </summary>
    public static IHostApplicationBuilder AddStorefrontPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            // Secure whenever the request is https (on AWS the load balancer says so in X-Forwarded-Proto); the framework
            // refuses "always" over plain http, which the local stack speaks.
            antiforgery.Cookie.Name = "shop-antiforgery";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
        });
        // Before the platform's handler, which answers problem details: pages get an error page, or sign-in.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, ErrorPages>());
        var registered = builder.Services.Last(descriptor => descriptor.ImplementationType == typeof(ErrorPages));
        builder.Services.Remove(registered);
        builder.Services.Insert(0, registered);
        return builder;
    }

    public static WebApplication UseStorefrontPages(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // The platform's headers are for JSON; pages load their own styles and scripts, and Stripe.js's Payment Element.
            context.Response.Headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self' https://js.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; "
                + "connect-src 'self' https://api.stripe.com; img-src * data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                + "base-uri 'self'; object-src 'none'";
            context.Response.Headers["Referrer-Policy"] = "same-origin";
            return next(context);
        });
        app.UseStatusCodePages(async statusCode =>
        {
            var context = statusCode.HttpContext;
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Request.Path.StartsWithSegments("/health"))
            {
                await ErrorPages.RenderAsync(context, StatusCodes.Status404NotFound);
            }
        });
        app.UseAntiforgery();
        return app;
    }
}
