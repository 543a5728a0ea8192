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
/// (or <c>ADMIN_PASSWORD_ARN</c>), so rotating that secret and restarting resets the admin's password. Whenever it
/// changes an account's role or password, every session of that account ends.
/// <para>
/// It only ever manages an account it created itself (<see cref="Customer.CreatedByBootstrap"/>): emails are not
/// verified, so an account someone registered with that address is never promoted. Start-up then continues without an
/// admin and logs an error naming <c>ADMIN_EMAIL</c>; failing start-up instead would let anyone stop every deployment
/// by registering one address.
/// </para>
/// </summary>
public sealed class AdminBootstrap(
    IOptions<CustomersOptions> options,
    SecretStore secrets,
    IServiceScopeFactory scopes,
    Passwords passwords,
    Sessions sessions,
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
        var changed = false;
        if (admin is null)
        {
            admin = new Customer { Email = email.Trim(), Name = "Administrator", Role = Roles.Admin, CreatedByBootstrap = true };
            passwords.SetPassword(admin, password);
            db.Customers.Add(admin);
        }
        else if (!admin.CreatedByBootstrap)
        {
            logger.LogError(
                "ADMIN_EMAIL names account {CustomerId}, which someone registered and the admin bootstrap did not create: it is "
                + "not promoted, and the service runs without a bootstrapped admin; set ADMIN_EMAIL to an unused address",
                admin.Id);
            return;
        }
        else
        {
            changed = admin.Role != Roles.Admin || !passwords.Verify(admin, password);
            admin.Role = Roles.Admin;
            if (changed)
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

        if (changed)
        {
            // Whoever held the old password or role keeps nothing of it.
            await sessions.EndAllAsync(admin.Id);
        }

        logger.LogInformation("Admin account {CustomerId} is ready", admin.Id);
    }
}
