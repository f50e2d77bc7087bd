// Runs once after the last spec, before Playwright stops the web servers: the final secret scan
// over everything the whole run produced. Any occurrence of a token value or a deposited
// certificate private key fails the run.
import { DEMO_TAPI_TOKENS } from '../emulator/tapi/default-scenario';
import { DEMO_TOKENS } from '../emulator/tinvest/default-scenario';
import { depositedKeySecrets, runSecretScan } from './secret-scan';
import { INVALID_TOKEN } from './ui/support';

export default async function globalTeardown(): Promise<void> {
  const keys = depositedKeySecrets();
  const secrets = [...Object.values(DEMO_TOKENS), INVALID_TOKEN, ...Object.values(DEMO_TAPI_TOKENS), ...keys];
  const { findings, files, dumpRows } = runSecretScan(secrets);
  console.log(`secret scan: ${files} files (responses, server log, .next/static, ${dumpRows} database rows, raw database files), ${secrets.length} token values and key fragments, ${findings.length} findings`);
  if (findings.length > 0) {
    throw new Error(`SECRET SCAN FAILED: token values found:\n${findings.map((finding) => `  token #${finding.secret} (${finding.encoding}) in ${finding.where}`).join('\n')}`);
  }
}
