namespace Platform.Errors;

/// <summary>
/// Thrown by a service when one of its own dependencies cannot answer (a payment provider, another service): the
/// platform turns it into a 503 with <c>Retry-After</c> and logs it once, naming <see cref="Dependency"/>.
/// </summary>
public sealed class DependencyUnavailableException(string dependency, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public string Dependency { get; } = dependency;
}
