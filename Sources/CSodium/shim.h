/* Only BLAKE2b (crypto_generichash): minisign hashes keys and files with it; Ed25519 and
   SHA-256 come from swift-crypto. */
#include <sodium/crypto_generichash.h>
#include <sodium/core.h>
