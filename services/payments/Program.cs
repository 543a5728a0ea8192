using Payments.Apis;
using Payments.Data;
using Platform.Aws;
using Platform.Hosting;
using Platform.Postgres;
using Platform.Redis;
using Platform.Secrets;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("payments", defaultPort: 3003);
builder.AddPostgres<PaymentsDb>();
builder.AddRedis();
builder.AddSqsQueue("INVENTORY_QUEUE"); // payment events go to inventory
builder.AddSqsQueue("PAYMENTS_QUEUE"); // reservation events come from inventory
builder.AddSecret("STRIPE_SECRET_KEY");
builder.AddSecret("WEBHOOK_ENDPOINT_SECRET");

var app = builder.Build();
app.UsePlatformDefaults();
app.MapPlatformEndpoints();
app.MapPaymentsApi();

return await app.RunPlatformAsync(args);
