using Platform.Aws;
using Platform.Messaging;

namespace Customers.Privacy;

public static class PersonalDataExtensions
{
    /// <summary>
    /// GDPR: the export worker, which also reads what inventory and payments hold, and the eraser, which tells them
    /// through the outbox.
    /// </summary>
    public static WebApplicationBuilder AddPersonalDataRights(this WebApplicationBuilder builder)
    {
        builder.AddSqsQueue("INVENTORY_QUEUE");
        builder.AddSqsQueue("PAYMENTS_QUEUE");
        builder.AddOutboxRelay<Data.CustomersDb>();
        builder.Services.AddHttpClient(PersonalDataElsewhere.HttpClientName)
            .AddStandardResilienceHandler(resilience =>
            {
                // The export waits and is tried again every second, so one read need not wait long for a slow service.
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            });
        builder.Services.AddSingleton<PersonalDataElsewhere>();
        builder.Services.AddScoped<PersonalDataEraser>();
        builder.Services.AddHostedService<DataExportWorker>();
        return builder;
    }
}
