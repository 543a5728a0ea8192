namespace Platform.Hosting;

/// <summary>The service's name: its log group, its Redis key prefix, its traces' service.name.</summary>
public sealed record ServiceIdentity(string Name);
