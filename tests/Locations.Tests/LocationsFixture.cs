using TestSupport;

namespace Locations.Tests;

public class LocationsFixture() : ServiceFixture<Program>("locations");
