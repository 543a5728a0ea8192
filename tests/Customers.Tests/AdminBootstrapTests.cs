using System.Net;
using Customers.Auth;
using Customers.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Hosting;
using Platform.Security;

namespace Customers.Tests;

/// <summary>The admin bootstrap run again, as the next start-up runs it, after the admin account changed under it.</summary>
public sealed class AdminBootstrapTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    private static Uri Me => new("/api/customers/me", UriKind.Relative);

    [Fact]
    public async Task API5_a_password_reset_by_the_bootstrap_ends_every_session_of_the_admin()
    {
        // ADMIN_PASSWORD was rotated: the account still has the previous password, and a session opened with it.
        const string previous = "the previous admin password";
        await UpdateAdminAsync((admin, passwords) => passwords.SetPassword(admin, previous));
        var old = await customers.LoginAsync(CustomersFixture.AdminEmail, previous);

        await RunBootstrapAsync(customers);

        Assert.Equal(HttpStatusCode.Unauthorized, (await customers.ClientWithToken(old.AccessToken).GetAsync(Me)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.RefreshAsync(customers.CreateClient(), old.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.LoginAsync(customers.CreateClient(), CustomersFixture.AdminEmail, previous)).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await Accounts.LoginAsync(customers.CreateClient(), CustomersFixture.AdminEmail, CustomersFixture.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task API5_a_role_restored_by_the_bootstrap_ends_every_session_of_the_admin()
    {
        await UpdateAdminAsync((admin, _) => admin.Role = Roles.Customer);
        var demoted = await customers.LoginAsync(CustomersFixture.AdminEmail, CustomersFixture.AdminPassword);

        await RunBootstrapAsync(customers);

        Assert.Equal(HttpStatusCode.Unauthorized, (await customers.ClientWithToken(demoted.AccessToken).GetAsync(Me)).StatusCode);
        var admin = await customers.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/customers/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_bootstrap_that_changes_nothing_leaves_the_admins_sessions_alone()
    {
        var admin = await customers.AdminAsync();

        await RunBootstrapAsync(customers);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Me)).StatusCode);
    }

    internal static Task RunBootstrapAsync(CustomersFixture customers) =>
        customers.Services.GetServices<IStartupTask>().OfType<AdminBootstrap>().Single().RunAsync(CancellationToken.None);

    private async Task UpdateAdminAsync(Action<Customers.Domain.Customer, Passwords> change)
    {
        await using var scope = customers.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomersDb>();
        var normalized = Customers.Domain.Customer.Normalize(CustomersFixture.AdminEmail);
        var admin = await db.Customers.SingleAsync(c => c.NormalizedEmail == normalized);
        change(admin, scope.ServiceProvider.GetRequiredService<Passwords>());
        await db.SaveChangesAsync();
    }
}

/// <summary>The admin account gone (erased, or <c>ADMIN_EMAIL</c> changed) and its address registered by someone else.</summary>
public sealed class AdminSquattingTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    [Fact]
    public async Task API5_the_bootstrap_never_promotes_an_account_someone_registered_with_ADMIN_EMAIL()
    {
        const string squattersPassword = "the squatter's own password";
        var normalized = Customers.Domain.Customer.Normalize(CustomersFixture.AdminEmail);
        await using (var scope = customers.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CustomersDb>().Customers.Where(c => c.NormalizedEmail == normalized).ExecuteDeleteAsync();
        }

        var squatter = await Accounts.RegisterAsync(customers.CreateClient(), CustomersFixture.AdminEmail, "Squatter", squattersPassword);
        var session = await customers.LoginAsync(CustomersFixture.AdminEmail, squattersPassword);

        await AdminBootstrapTests.RunBootstrapAsync(customers);

        await using (var scope = customers.Services.CreateAsyncScope())
        {
            var account = await scope.ServiceProvider.GetRequiredService<CustomersDb>().Customers.AsNoTracking().SingleAsync(c => c.Id == squatter.Id);
            Assert.Equal(Roles.Customer, account.Role);
            Assert.False(account.CreatedByBootstrap);
        }

        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Accounts.LoginAsync(customers.CreateClient(), CustomersFixture.AdminEmail, CustomersFixture.AdminPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await customers.ClientWithToken(session.AccessToken).GetAsync(new Uri("/api/customers/", UriKind.Relative))).StatusCode);
    }
}
