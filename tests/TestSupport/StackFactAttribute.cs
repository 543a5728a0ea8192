using Xunit;

namespace TestSupport;

/// <summary>
/// A test that drives the stack <c>./dev test</c> runs as processes (the services behind the load balancer, the
/// emulators). Where that stack is not running, as in a <c>dotnet test</c> or an IDE's run after <c>./dev deps</c>, it is
/// skipped, saying so; <c>./dev test</c> starts the stack, and fails a run in which a test was skipped.
/// </summary>
public sealed class StackFactAttribute : FactAttribute
{
    public StackFactAttribute() => Skip = RunningStack.Missing;
}

/// <inheritdoc cref="StackFactAttribute"/>
public sealed class StackTheoryAttribute : TheoryAttribute
{
    public StackTheoryAttribute() => Skip = RunningStack.Missing;
}

internal static class RunningStack
{
    /// <summary>Why a test of the stack cannot run here, or null where <c>./dev test</c> said where the stack is.</summary>
    public static string? Missing => Environment.GetEnvironmentVariable("STACK_URL") is { Length: > 0 }
        ? null
        : "needs the stack that ./dev test starts (STACK_URL is not set)";
}
