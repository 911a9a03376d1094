//! Certificates made at start-up: a private CA and the leaves the TLS listeners present.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

/// A certificate chain (leaf first) and its private key, ready for a rustls server.
pub(crate) struct Identity {
    pub(crate) chain: Vec<CertificateDer<'static>>,
    pub(crate) key: PrivateKeyDer<'static>,
}

/// Everything the TLS listeners need.
pub(crate) struct Certs {
    /// PEM of the private CA (what `ca_file` holds).
    pub(crate) ca_pem: String,
    /// CA-signed leaf for 127.0.0.1, localhost and athens.corp.test.
    pub(crate) main: Identity,
    /// Self-signed leaf for 127.0.0.1 (its issuer is in no trust store).
    pub(crate) self_signed: Identity,
    /// CA-signed leaf whose only name is `wrong.test`.
    pub(crate) wrong_name: Identity,
    /// CA-signed leaf for 127.0.0.1 that expired long ago.
    pub(crate) expired: Identity,
}

fn dn(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "modroute-testkit");
    dn.push(DnType::CommonName, common_name);
    dn
}

fn leaf_params(
    common_name: &str,
    names: &[&str],
    validity: (OffsetDateTime, OffsetDateTime),
) -> Result<CertificateParams, rcgen::Error> {
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())?;
    params.distinguished_name = dn(common_name);
    params.is_ca = IsCa::NoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.not_before = validity.0;
    params.not_after = validity.1;
    Ok(params)
}

fn identity(cert: &rcgen::Certificate, key: &KeyPair) -> Identity {
    Identity {
        chain: vec![cert.der().clone()],
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

/// Generates the CA and every leaf (ECDSA P-256; fresh keys on every call).
pub(crate) fn generate() -> Result<Certs, rcgen::Error> {
    let now = OffsetDateTime::now_utc();
    let current = (now - Duration::days(1), now + Duration::days(365));

    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.distinguished_name = dn("modroute-testkit private CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca_params.not_before = now - Duration::days(2);
    ca_params.not_after = now + Duration::days(3650);
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let ca_pem = ca_cert.pem();
    let issuer = Issuer::new(ca_params, &ca_key);

    let signed = |cn: &str,
                  names: &[&str],
                  validity: (OffsetDateTime, OffsetDateTime)|
     -> Result<Identity, rcgen::Error> {
        let key = KeyPair::generate()?;
        let cert = leaf_params(cn, names, validity)?.signed_by(&key, &issuer)?;
        Ok(identity(&cert, &key))
    };

    let main = signed(
        "athens.corp.test",
        &["127.0.0.1", "localhost", "athens.corp.test"],
        current,
    )?;
    let wrong_name = signed("wrong.test", &["wrong.test"], current)?;
    let expired = signed(
        "expired.test",
        &["127.0.0.1"],
        (
            rcgen::date_time_ymd(2020, 1, 1),
            rcgen::date_time_ymd(2021, 1, 1),
        ),
    )?;

    let self_key = KeyPair::generate()?;
    let self_cert =
        leaf_params("self-signed.test", &["127.0.0.1"], current)?.self_signed(&self_key)?;
    let self_signed = identity(&self_cert, &self_key);

    Ok(Certs {
        ca_pem,
        main,
        self_signed,
        wrong_name,
        expired,
    })
}
