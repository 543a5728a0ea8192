using TestSupport;

namespace Payments.Tests;

public class PaymentsFixture() : ServiceFixture<Program>("payments");
