using TestSupport;

namespace Locations.Tests;

public sealed class OpenApiTests(LocationsFixture locations) : OpenApiDocumentTests<Program>(locations, "locations"), IClassFixture<LocationsFixture>;
