import 'server-only';
// The vault: envelope encryption of stored tokens (docs/vault.md). Start-up: loadKeyRing, then
// verifyKeyRing against the stored check values, then openFingerprintKey (or createFingerprintKey).
// Deposit: sealToken + fingerprintToken. Use: openToken, the only way to a usable TokenHandle.
// Retire (crypto-shredding): null the row's sealed record; every copy of that token's data key
// goes with it, so the value is unrecoverable even with the KEK, except from database backups.
export { generateMasterKey, KeyRing, parseMasterKey, type KeyCheckValue } from './key-ring';
export { addKeyFileVersion, KEY_FILE_NAME, keyFilePath } from './key-file';
export { loadKeyRing, type KeyRingConfig, type LoadedKeyRing } from './load-key-ring';
export { verifyKeyRing, type VersionUsage } from './verify-key-ring';
export { sealToken, type TokenToSeal } from './seal-token';
export { openToken, type SealedToken } from './open-token';
export { kekVersionOf } from './sealed-record';
export { rotate, vaultStatus, type RotationResult, type SealedRecordStore, type SealedRow, type VaultStatus } from './rotate';
export { createFingerprintKey, FINGERPRINT_KEY_ID, FingerprintKey, fingerprintToken, openFingerprintKey } from './fingerprint';
export { isVaultError, VaultError, type VaultErrorReason } from './vault-error';
export { maskToken, type TokenHandle } from './token-handle';
