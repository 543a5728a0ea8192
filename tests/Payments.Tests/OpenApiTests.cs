using TestSupport;

namespace Payments.Tests;

public sealed class OpenApiTests(PaymentsFixture payments) : OpenApiDocumentTests<Program>(payments, "payments"), IClassFixture<PaymentsFixture>;
