import 'server-only';
// An H2H token's mTLS client certificate (tapi.md §5): parsed for what people need to see (subject,
// serial, issuer, validity), checked against its private key, and refused when expired. The key is
// only ever compared here and sealed by the caller; no message carries its text.
import crypto from 'node:crypto';
import { AppError } from '../errors';
import type { ErrorKey } from '../i18n/messages';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** Hex, as openssl prints it. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, `AB:CD:…`. */
  fingerprint: string;
}

export interface CheckedCertificate {
  certificatePem: string;
  privateKeyPem: string;
  facts: CertificateFacts;
}

function refuse(field: 'certificatePem' | 'privateKeyPem', key: ErrorKey, message: string, values?: Record<string, string>): AppError {
  const path = `certificate.${field}`;
  return new AppError('invalid', message, { fields: { [path]: [message] }, fieldKeys: { [path]: key }, messageKey: key, ...(values ? { values } : {}) });
}

/** `CN=…, O=…` from node's one-attribute-per-line form. */
function distinguishedName(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(', ');
}

/** Parses a PEM certificate's facts; throws 422 when it is not one. */
export function certificateFacts(certificatePem: string): CertificateFacts {
  let certificate: crypto.X509Certificate;
  try {
    certificate = new crypto.X509Certificate(certificatePem);
  } catch {
    throw refuse('certificatePem', 'errors.tapiTokens.certificateUnreadable', 'This is not a readable X.509 certificate. Paste the certificate file T-Bank issued (open-api-cert.pem).');
  }
  return {
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    serial: certificate.serialNumber.toUpperCase(),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    fingerprint: certificate.fingerprint256,
  };
}

function spki(key: crypto.KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/**
 * Checks a certificate and key pair for deposit: readable, the key unencrypted and the private half
 * of the certificate's public key, and the certificate valid `now`. Throws 422 with the field at fault.
 */
export function checkClientCertificate(input: { certificatePem: string; privateKeyPem: string }, now = new Date()): CheckedCertificate {
  const facts = certificateFacts(input.certificatePem);
  const certificate = new crypto.X509Certificate(input.certificatePem);
  if (/ENCRYPTED/.test(input.privateKeyPem.split('\n', 1)[0] ?? '')) {
    throw refuse('privateKeyPem', 'errors.tapiTokens.privateKeyEncrypted', 'This private key is protected by a passphrase. Store it without one (openssl pkey -in key.pem -out plain.pem); the vault encrypts it here.');
  }
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey({ key: input.privateKeyPem, format: 'pem' });
  } catch {
    // The parser's own message may quote the input; it is dropped on purpose.
    throw refuse('privateKeyPem', 'errors.tapiTokens.privateKeyUnreadable', 'This is not a readable private key. Paste the private.key file you saved when the certificate was issued.');
  }
  // The same public key on both sides, or the key belongs to another certificate.
  if (!spki(crypto.createPublicKey(privateKey)).equals(spki(certificate.publicKey))) {
    throw refuse('privateKeyPem', 'errors.tapiTokens.keyMismatch', "This private key does not belong to the certificate: their public keys differ. Paste the key saved with this certificate.");
  }
  const day = (date: Date) => date.toISOString().slice(0, 10);
  if (facts.notAfter.getTime() <= now.getTime()) {
    throw refuse('certificatePem', 'errors.tapiTokens.certificateExpired', `This certificate expired on ${day(facts.notAfter)}. Issue a new one in T-Business (Integrations → T-API).`, { date: day(facts.notAfter) });
  }
  if (facts.notBefore.getTime() > now.getTime()) {
    throw refuse('certificatePem', 'errors.tapiTokens.certificateNotYetValid', `This certificate is valid only from ${day(facts.notBefore)}.`, { date: day(facts.notBefore) });
  }
  return { certificatePem: input.certificatePem, privateKeyPem: input.privateKeyPem, facts };
}
