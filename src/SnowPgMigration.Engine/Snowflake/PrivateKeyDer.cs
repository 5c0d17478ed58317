using System.Formats.Asn1;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Tells the DER forms of a private key apart by their ASN.1 shape, so a bare base64 body (which has no PEM
/// label) is imported the right way and a key of another algorithm is named as such rather than as garbage.
/// </summary>
internal static class PrivateKeyDer
{
    public const string RsaAlgorithm = "1.2.840.113549.1.1.1";

    public enum Form
    {
        Unknown,
        Pkcs8,
        EncryptedPkcs8,
        Pkcs1,
    }

    /// <summary>
    /// PKCS#8 is SEQUENCE { INTEGER, SEQUENCE { OID, ... }, OCTET STRING }; encrypted PKCS#8 is
    /// SEQUENCE { SEQUENCE { OID, ... }, OCTET STRING }; PKCS#1 is SEQUENCE { INTEGER, INTEGER, ... }.
    /// </summary>
    public static Form Classify(byte[] der, out string? algorithm)
    {
        algorithm = null;
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            if (outer.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                return Form.EncryptedPkcs8;
            }

            _ = outer.ReadIntegerBytes();
            if (outer.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                return Form.Pkcs1;
            }

            algorithm = outer.ReadSequence().ReadObjectIdentifier();
            return Form.Pkcs8;
        }
        catch (AsnContentException)
        {
            return Form.Unknown;
        }
    }

    /// <summary>"an EC", "an Ed25519", ... for a message.</summary>
    public static string Describe(string? algorithm) => algorithm switch
    {
        "1.2.840.10045.2.1" => "an EC",
        "1.3.101.112" => "an Ed25519",
        "1.3.101.113" => "an Ed448",
        "1.2.840.10040.4.1" => "a DSA",
        _ => $"a non-RSA (algorithm {algorithm ?? "unknown"})",
    };
}
