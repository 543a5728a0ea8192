namespace LoadGenerator;

/// <summary>One unit of work against a client whose base address is the scenario's target; true when it succeeded.</summary>
public delegate Task<bool> Unit(HttpClient client, CancellationToken cancellationToken);

public enum ScenarioKind
{
    Read,
    Write,
    Mixed,

    /// <summary>Run once, every unit at the same moment (the flash sale).</summary>
    Race,

    /// <summary>A process started for the scenario, measured second by second from when it is ready.</summary>
    WarmUp,
}

/// <summary>A read scenario's next request: the path on the service and the same read on the bare baseline.</summary>
public delegate (string Service, string Baseline) NextPaths();

/// <summary>
/// A benchmark scenario: its unit of work against a service (or the load balancer) and the fixed rates it must
/// sustain. A read path also says which paths it reads, so its most is measured by wrk, in interleaved pairs
/// with the same reads on the bare baseline.
/// </summary>
public sealed record Scenario(string Name, string Target, string Service, ScenarioKind Kind, Unit Unit, double[] Rates)
{
    /// <summary>For a read path: its requests, on the service and on the baseline.</summary>
    public NextPaths? Paths { get; init; }

    /// <summary>What a read path's most must reach of the baseline's, unless it says otherwise.</summary>
    public const double DefaultBaselineShare = 0.8;

    /// <summary>For a read path: the share of the baseline's most its own most must reach.</summary>
    public double BaselineShare { get; init; } = DefaultBaselineShare;

    /// <summary>A bearer token the unit's requests carry.</summary>
    public string? AccessToken { get; init; }

    public int Concurrency { get; init; } = 32;

    /// <summary>Runs before the measurement (fills caches, creates what the unit consumes).</summary>
    public Func<Task>? Prepare { get; init; }

    /// <summary>
    /// Runs before each run (the warm-up, the most, each rate) with the number of units that run may take: makes what
    /// its units consume just before they need it (a reservation on the test stack expires in 10 s).
    /// </summary>
    public Func<int, Task>? PrepareRun { get; init; }

    /// <summary>The units made ready for a run at its most: the run ends early when they run out.</summary>
    public int ClosedLoopUnits { get; init; }

    /// <summary>Runs after: a check of the data the scenario changed, in words, and whether it held.</summary>
    public Func<Task<(bool Held, string Description)>>? Verify { get; init; }

    /// <summary>
    /// A scenario that is not a most and fixed rates (several loads at once, a fault injected for its duration): its
    /// own runs, and the figures it sets beside them.
    /// </summary>
    public Func<ProcessSampler, Task<CustomRun>>? Run { get; init; }
}

/// <summary>What a scenario with its own runs measured: the runs, and the figures the issue sets for them.</summary>
public sealed record CustomRun(List<RunResult> Runs, List<Target> Figures);

/// <summary>Thrown by a unit that has nothing left to work on (a scenario's prepared reservations ran out): the run ends there.</summary>
public sealed class NoMoreWorkException : Exception;
