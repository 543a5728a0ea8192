namespace Customers.Privacy;

public static class PersonalDataExtensions
{
    /// <summary>GDPR: the export worker and the eraser.</summary>
    public static WebApplicationBuilder AddPersonalDataRights(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PersonalDataEraser>();
        builder.Services.AddHostedService<DataExportWorker>();
        return builder;
    }
}
