using Customers.Data;
using Customers.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Hosting;
using Platform.Postgres;
using Platform.Secrets;
using Platform.Security;

namespace Customers.Auth;

/// <summary>
/// Ensures the account named by <c>ADMIN_EMAIL</c> exists, is an admin and has the password in <c>ADMIN_PASSWORD</c>
/// (or <c>ADMIN_PASSWORD_ARN</c>), so rotating that secret and restarting resets the admin's password.
/// </summary>
internal sealed class AdminBootstrap(
    IOptions<CustomersOptions> options,
    SecretStore secrets,
    IServiceScopeFactory scopes,
    Passwords passwords,
    ILogger<AdminBootstrap> logger) : IStartupTask
{
    public const string PasswordSecret = "ADMIN_PASSWORD";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AdminEmail is not { } email)
        {
            return;
        }

        var password = await secrets.GetAsync(PasswordSecret, cancellationToken);
        if (AccountRules.PasswordError(password) is { } weak)
        {
            throw new InvalidOperationException($"{PasswordSecret}: {weak}");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomersDb>();
        var normalized = Customer.Normalize(email);
        var admin = await db.Customers.SingleOrDefaultAsync(c => c.NormalizedEmail == normalized, cancellationToken);
        if (admin is null)
        {
            admin = new Customer { Email = email.Trim(), Name = "Administrator", Role = Roles.Admin };
            passwords.SetPassword(admin, password);
            db.Customers.Add(admin);
        }
        else
        {
            admin.Role = Roles.Admin;
            if (!passwords.Verify(admin, password))
            {
                passwords.SetPassword(admin, password);
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // Another task created it at the same moment, from the same configuration.
        }

        logger.LogInformation("Admin account {CustomerId} is ready", admin.Id);
    }
}
