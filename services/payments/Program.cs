using Payments;
using Payments.Apis;
using Payments.Data;
using Payments.Events;
using Payments.Privacy;
using Payments.Provider;
using Platform.Aws;
using Platform.Configuration;
using Platform.Hosting;
using Platform.Messaging;
using Platform.Postgres;
using Platform.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("payments");
builder.AddEnvironmentOptions<PaymentsOptions>();
builder.AddPostgres<PaymentsDb>();
builder.AddRedis();
builder.AddSqsQueue("INVENTORY_QUEUE"); // payment events go to inventory
builder.AddPaymentProvider();
builder.AddEventConsumer<PaymentsQueueProcessor, PaymentsDb>("PAYMENTS_QUEUE"); // from inventory, and erasures from customers
builder.AddOutboxRelay<PaymentsDb>();
builder.Services.AddScoped<CustomerErasure>();

var app = builder.Build();
app.UsePlatformDefaults();
app.MapPlatformEndpoints();
app.MapPaymentsApi();
app.MapWebhooksApi();
app.MapRefundsApi();
app.MapPersonalDataApi();

return await app.RunPlatformAsync(args);
