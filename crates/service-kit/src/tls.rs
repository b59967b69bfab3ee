//! reqwest is built without a default TLS crypto provider (`rustls-no-provider`): ring is
//! installed once per process instead, which keeps aws-lc's C build out of the tree.
//!
//! [`client_config`] is the TLS setup HTTPS clients share. reqwest's own builds the platform's
//! root store when the client is built: on Debian that reads ~290 files under /etc/ssl/certs
//! and parses every root, once per client, at start-up — a cold start's largest cost before
//! its first request, even when that request makes no HTTPS call. Here the roots are read once
//! per process, at the first certificate to check.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, Error, SignatureScheme};

pub fn install_crypto_provider() {
    // Err only means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// TLS 1.2 and 1.3 with ring, HTTP/1.1 by ALPN, server certificates checked against the
/// platform's roots (rustls-platform-verifier, as reqwest's default does) — loaded on the
/// first handshake and shared by every client of the process. For
/// `reqwest::ClientBuilder::tls_backend_preconfigured`.
pub fn client_config() -> ClientConfig {
    install_crypto_provider();
    static VERIFIER: OnceLock<Arc<LazyVerifier>> = OnceLock::new();
    let verifier = VERIFIER.get_or_init(|| Arc::new(LazyVerifier::new(ring())));
    let mut config = ClientConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .expect("ring supports TLS 1.2 and 1.3")
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

fn ring() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The platform's verifier, built when a certificate is first checked. Handshake signatures
/// are checked by the provider's algorithms alone, as the platform verifier does, so they need
/// no roots.
#[derive(Debug)]
pub struct LazyVerifier {
    provider: Arc<CryptoProvider>,
    platform: OnceLock<Result<rustls_platform_verifier::Verifier, Error>>,
}

impl LazyVerifier {
    pub fn new(provider: Arc<CryptoProvider>) -> LazyVerifier {
        LazyVerifier {
            provider,
            platform: OnceLock::new(),
        }
    }

    /// Whether the platform's roots have been read.
    pub fn loaded(&self) -> bool {
        self.platform.get().is_some()
    }

    fn platform(&self) -> Result<&rustls_platform_verifier::Verifier, Error> {
        self.platform
            .get_or_init(|| rustls_platform_verifier::Verifier::new(self.provider.clone()))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for LazyVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        self.platform()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_roots_are_read_at_the_first_certificate_not_before() {
        let verifier = LazyVerifier::new(ring());
        assert!(!verifier.supported_verify_schemes().is_empty());
        assert!(!verifier.loaded(), "offering schemes needs no roots");
        // A certificate that is no certificate: refused, once the roots are read.
        let name = ServerName::try_from("hooks.slack.com").unwrap();
        let refused = verifier.verify_server_cert(
            &CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]),
            &[],
            &name,
            &[],
            UnixTime::now(),
        );
        assert!(refused.is_err(), "{refused:?}");
        assert!(verifier.loaded());
    }

    #[test]
    fn a_client_config_speaks_http1() {
        assert_eq!(client_config().alpn_protocols, [b"http/1.1".to_vec()]);
    }
}
