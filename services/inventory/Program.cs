using Inventory;
using Inventory.Apis;
using Inventory.Data;
using Inventory.Events;
using Inventory.Privacy;
using Inventory.Reservations;
using Platform.Aws;
using Platform.Configuration;
using Platform.Hosting;
using Platform.Messaging;
using Platform.Postgres;
using Platform.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("inventory");
builder.AddEnvironmentOptions<InventoryOptions>();
builder.AddPostgres<InventoryDb>();
builder.AddRedis();
builder.AddS3Bucket("ASSETS_BUCKET");
builder.AddEventConsumer<InventoryQueueProcessor, InventoryDb>("INVENTORY_QUEUE");
builder.AddSqsQueue("PAYMENTS_QUEUE");
builder.AddOutboxRelay<InventoryDb>();
builder.Services.AddScoped<StockLedger>();
builder.Services.AddScoped<CustomerErasure>();
builder.Services.AddSingleton<ReservationMetrics>();
builder.Services.AddSingleton<ProductImages>();
builder.Services.AddScoped<IDemoData, DemoCatalogue>();
builder.Services.AddSingleton<ReservationSweeper>();
builder.Services.AddHostedService(services => services.GetRequiredService<ReservationSweeper>());

var app = builder.Build();
app.UsePlatformDefaults();
app.MapPlatformEndpoints();
app.MapProductsApi();
app.MapStockApi();
app.MapReservationsApi();
app.MapPersonalDataApi();

return await app.RunPlatformAsync(args);
