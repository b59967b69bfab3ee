//! reqwest is built without a default TLS crypto provider (`rustls-no-provider`): ring is
//! installed once per process instead, which keeps aws-lc's C build out of the tree.

pub fn install_crypto_provider() {
    // Err only means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
