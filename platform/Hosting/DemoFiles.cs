using System.Reflection;
using System.Text.Json;
using Platform.Api;

namespace Platform.Hosting;

/// <summary>Demo data files (<c>demo/*.json</c>), embedded in the services that load them and read as the API reads JSON.</summary>
public static class DemoFiles
{
    public static T Read<T>(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded in {assembly.GetName().Name}.");
        return JsonSerializer.Deserialize<T>(stream, ApiJson.Options)!;
    }

    /// <summary>A demo record the API's own rules refuse: loading stops and says which and why.</summary>
    public static InvalidOperationException Invalid(string what, ValidationErrors errors) => new($"Demo {what} is invalid: {errors}");
}
