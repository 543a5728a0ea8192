namespace Platform.Health;

public static class HealthTags
{
    /// <summary>Checks that decide whether the process is alive (restart it if not).</summary>
    public const string Live = "live";

    /// <summary>Checks that decide whether the service can do its work (its dependencies).</summary>
    public const string Ready = "ready";
}
