using Payments;
using Payments.Apis;
using Payments.Data;
using Payments.Provider;
using Platform.Aws;
using Platform.Configuration;
using Platform.Hosting;
using Platform.Messaging;
using Platform.Postgres;
using Platform.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("payments", defaultPort: 3003);
builder.AddEnvironmentOptions<PaymentsOptions>();
builder.AddPostgres<PaymentsDb>();
builder.AddRedis();
builder.AddSqsQueue("INVENTORY_QUEUE"); // payment events go to inventory
builder.AddPaymentProvider();
builder.AddEventConsumer<ReservationEventProcessor, PaymentsDb>("PAYMENTS_QUEUE"); // reservation events come from inventory
builder.AddOutboxRelay<PaymentsDb>();

var app = builder.Build();
app.UsePlatformDefaults();
app.MapPlatformEndpoints();
app.MapPaymentsApi();
app.MapWebhooksApi();
app.MapRefundsApi();

return await app.RunPlatformAsync(args);
