using System.Text.Json;
using System.Text.Json.Serialization;

namespace StripeEmulator;

/// <summary>
/// The Stripe API surface the payments service uses, in Stripe's protocol (form-encoded requests, JSON responses, bearer
/// secret keys, <c>Idempotency-Key</c>): PaymentIntents (create, retrieve, list, search, confirm, cancel) and refunds (create, list).
/// Confirming or cancelling plays the customer's part and delivers the signed webhook, as <c>stripe trigger</c> does.
/// Every <c>/v1</c> call goes through <see cref="FaultFilter"/>, so tests and the benchmark can make Stripe slow and failing.
/// </summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Ledger>();
        builder.Services.AddSingleton<IdempotencyKeys>();
        builder.Services.AddSingleton(services => Faults.FromConfiguration(services.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton(services => WebhookRetryOptions.FromConfiguration(services.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<WebhookDeliveries>();
        builder.Services.AddSingleton<WebhookPoster>();
        builder.Services.AddSingleton<WebhookRetries>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebhookRetries>());
        builder.Services.AddSingleton<WebhookSender>();
        // Stripe's deliveries carry no trace context. The emulator's own (a trace nobody records) would be followed by
        // payments' parent-based sampler and drop the webhook's trace, the event through SQS included.
        builder.Services.AddHttpClient(WebhookSender.Client, client => client.Timeout = WebhookPoster.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ActivityHeadersPropagator = null });
        // The control endpoints bind and answer in Stripe's snake_case too.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        configure?.Invoke(builder);

        var app = builder.Build();
        // Bad STRIPE_EMULATOR_* settings stop the start, not the first request.
        app.Services.GetRequiredService<Faults>();
        app.Services.GetRequiredService<WebhookRetryOptions>();
        app.Use(async (context, next) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (!authorization.StartsWith("Bearer sk_test_", StringComparison.Ordinal))
            {
                await Error(StatusCodes.Status401Unauthorized, new StripeError(
                    "invalid_request_error", "Invalid API Key provided: use a test secret key (sk_test_...).")).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapEmulatorControl();
        var v1 = app.MapGroup("/v1").AddEndpointFilter<FaultFilter>();
        v1.MapPost("/payment_intents", CreateAsync);
        v1.MapGet("/payment_intents", (Ledger ledger) => Ok(new ListObject<PaymentIntentObject>(ledger.All(), "/v1/payment_intents")));
        v1.MapGet("/payment_intents/search", Search);
        v1.MapGet("/payment_intents/{id}", (string id, Ledger ledger) =>
            ledger.Find(id) is { } intent
                ? Ok(intent)
                : Error(StatusCodes.Status404NotFound,
                    new StripeError("invalid_request_error", $"No such payment_intent: '{id}'", "resource_missing", "intent")));
        v1.MapPost("/payment_intents/{id}/confirm", ConfirmAsync);
        v1.MapPost("/payment_intents/{id}/cancel", CancelAsync);
        v1.MapPost("/refunds", RefundAsync);
        v1.MapGet("/refunds", (string? payment_intent, Ledger ledger) => Ok(new ListObject<RefundObject>(ledger.Refunds(payment_intent), "/v1/refunds")));
        v1.MapGet("/events", (Ledger ledger) => Ok(new ListObject<EventObject>(ledger.Events(), "/v1/events")));
        return app;
    }

    public static IResult Ok(object body) => Results.Json(body, Json);

    public static IResult Error(int status, StripeError error) => Results.Json(new ErrorBody(error), Json, statusCode: status);

    private static async Task<IResult> CreateAsync(HttpRequest request, Ledger ledger, IdempotencyKeys keys)
    {
        var form = await request.ReadFormAsync();
        return await keys.RunAsync(IdempotencyKey(request), Canonical(request, form), () =>
        {
            if (!long.TryParse(form["amount"], out var amount) || amount < 1)
            {
                return Error(StatusCodes.Status400BadRequest,
                    new StripeError("invalid_request_error", "Missing required param: amount.", "parameter_missing", "amount"));
            }

            if (form["currency"].ToString() is not { Length: 3 } currency)
            {
                return Error(StatusCodes.Status400BadRequest,
                    new StripeError("invalid_request_error", "Missing required param: currency.", "parameter_missing", "currency"));
            }

            return Ok(ledger.Create(amount, currency.ToLowerInvariant(), Metadata(form)));
        });
    }

    /// <summary>Stripe's search: the newest first, <c>limit</c> (1-100, default 10) a page, <c>page</c> the <c>next_page</c> of the last one.</summary>
    private static IResult Search(string? query, int? limit, string? page, Ledger ledger)
    {
        if (!PaymentIntentSearch.TryParse(query, out var matches, out var problem))
        {
            return Error(StatusCodes.Status400BadRequest, new StripeError("invalid_request_error", problem!, Param: "query"));
        }

        if (limit is < 1 or > 100)
        {
            return Error(StatusCodes.Status400BadRequest,
                new StripeError("invalid_request_error", "Invalid limit: must be between 1 and 100.", Param: "limit"));
        }

        var skip = 0;
        if (page is not null && (!page.StartsWith("page_", StringComparison.Ordinal) || !int.TryParse(page["page_".Length..], out skip) || skip < 0))
        {
            return Error(StatusCodes.Status400BadRequest, new StripeError("invalid_request_error", $"Invalid page: '{page}'.", Param: "page"));
        }

        var size = limit ?? 10;
        var found = ledger.All().Where(matches).Skip(skip).Take(size + 1).ToList();
        var hasMore = found.Count > size;
        return Ok(new SearchResultObject<PaymentIntentObject>(
            found.Take(size).ToList(), hasMore, hasMore ? $"page_{skip + size}" : null, "/v1/payment_intents/search"));
    }

    private static async Task<IResult> ConfirmAsync(string id, HttpRequest request, Ledger ledger, IdempotencyKeys keys, WebhookSender webhooks)
    {
        var form = await request.ReadFormAsync();
        EventObject? raised = null;
        var response = await keys.RunAsync(IdempotencyKey(request), Canonical(request, form), () =>
        {
            var (intent, error, stripeEvent) = ledger.Confirm(id, form["payment_method"].ToString() is { Length: > 0 } method ? method : "pm_card_visa");
            raised = stripeEvent;
            return Respond(intent, error);
        });
        await DeliverAsync(webhooks, raised);
        return response;
    }

    private static async Task<IResult> CancelAsync(string id, HttpRequest request, Ledger ledger, IdempotencyKeys keys, WebhookSender webhooks)
    {
        var form = await request.ReadFormAsync();
        EventObject? raised = null;
        var response = await keys.RunAsync(IdempotencyKey(request), Canonical(request, form), () =>
        {
            var (intent, error, stripeEvent) = ledger.Cancel(id, form["cancellation_reason"].ToString() is { Length: > 0 } reason ? reason : null);
            raised = stripeEvent;
            return Respond(intent, error);
        });
        await DeliverAsync(webhooks, raised);
        return response;
    }

    private static async Task<IResult> RefundAsync(HttpRequest request, Ledger ledger, IdempotencyKeys keys, WebhookSender webhooks)
    {
        var form = await request.ReadFormAsync();
        EventObject? raised = null;
        var response = await keys.RunAsync(IdempotencyKey(request), Canonical(request, form), () =>
        {
            long? amount = long.TryParse(form["amount"], out var parsed) ? parsed : null;
            var (refund, error, stripeEvent) = ledger.Refund(form["payment_intent"].ToString(), amount, Metadata(form));
            raised = stripeEvent;
            return error is null
                ? Ok(refund!)
                : Error(error.Code == "resource_missing" ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, error);
        });
        await DeliverAsync(webhooks, raised);
        return response;
    }

    private static IResult Respond(PaymentIntentObject intent, StripeError? error) => error switch
    {
        null => Ok(intent),
        { Type: "card_error" } => Error(StatusCodes.Status402PaymentRequired, error),
        { Code: "resource_missing" } => Error(StatusCodes.Status404NotFound, error),
        _ => Error(StatusCodes.Status400BadRequest, error),
    };

    private static Task DeliverAsync(WebhookSender webhooks, EventObject? raised) => raised is null ? Task.CompletedTask : webhooks.DeliverAsync(raised);

    private static string? IdempotencyKey(HttpRequest request) =>
        request.Headers.TryGetValue("Idempotency-Key", out var key) && key.ToString() is { Length: > 0 } value ? value : null;

    /// <summary>The request as Stripe compares it for idempotency: the path and every parameter.</summary>
    private static string Canonical(HttpRequest request, IFormCollection form) =>
        request.Path + "?" + string.Join('&', form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static Dictionary<string, string> Metadata(IFormCollection form) =>
        form.Where(p => p.Key.StartsWith("metadata[", StringComparison.Ordinal) && p.Key.EndsWith(']'))
            .ToDictionary(p => p.Key["metadata[".Length..^1], p => p.Value.ToString(), StringComparer.Ordinal);
}
