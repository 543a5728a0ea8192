using System.Security.Cryptography;
using System.Text;

namespace Platform.Postgres;

/// <summary>
/// A password as PostgreSQL stores it with <c>password_encryption = scram-sha-256</c> (RFC 5802, RFC 7677): given to
/// <c>CREATE ROLE … PASSWORD</c> in this form, the password itself never reaches the server, nor its statement log.
/// </summary>
public static class ScramVerifier
{
    private const int Iterations = 4096; // PostgreSQL's scram_iterations default

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        // PostgreSQL prepares a password with SASLprep, of which NFKC normalisation is the part that changes printable text.
        var salted = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC)), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
