using TestSupport;

namespace Customers.Tests;

public class CustomersFixture() : ServiceFixture<Program>("customers");
