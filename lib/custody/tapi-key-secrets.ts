// What betrays a PEM private key, for the secret scans (unit tests and e2e/secret-scan.ts): its
// base64 body in one piece and each of its lines, so a key found whole, re-wrapped, JSON-escaped
// (\n between lines) or base64-encoded again is caught. Pure.

/** The strings a scan must never find for `pem`; lines shorter than 16 characters are left out (too common). */
export function privateKeySecrets(pem: string): string[] {
  const lines = pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('-----'));
  return [lines.join(''), ...lines.filter((line) => line.length >= 16)];
}
