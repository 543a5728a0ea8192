using Xunit;

namespace TestSupport;

/// <summary>
/// A test that drives the stack <c>./dev test</c> runs as processes (the services behind the load balancer, the
/// emulators). Where nothing says where such a stack is, as in a <c>dotnet test</c> or an IDE's run after
/// <c>./dev deps</c>, it is skipped, saying so. Under <c>./dev test</c> it never skips: a stack that is not there fails it.
/// </summary>
public sealed class StackFactAttribute : FactAttribute
{
    public StackFactAttribute() => Skip = RunningStack.SkipReason;
}

/// <inheritdoc cref="StackFactAttribute"/>
public sealed class StackTheoryAttribute : TheoryAttribute
{
    public StackTheoryAttribute() => Skip = RunningStack.SkipReason;
}

internal static class RunningStack
{
    // Where the suites find the stack: the security suite's load balancer, the journey's, the browser tests' shop.
    private static readonly string[] Addresses = ["STACK_URL", "JOURNEY_URL", "STACK_STOREFRONT_URL"];

    /// <summary>Why a test of the stack cannot run here, or null where it must run.</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable("RUN_BY_DEV_TEST") == "true"
        || Addresses.Any(name => Environment.GetEnvironmentVariable(name) is { Length: > 0 })
            ? null
            : $"needs a running stack (./dev test starts one; or set {string.Join(", ", Addresses)})";
}
