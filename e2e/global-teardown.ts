// Runs once after the last spec, before Playwright stops the web servers: the final secret scan
// over everything the whole run produced. Any occurrence of a token value fails the run.
import { DEMO_TOKENS } from '../emulator/tinvest/default-scenario';
import { runSecretScan } from './secret-scan';
import { INVALID_TOKEN } from './ui/support';

export default async function globalTeardown(): Promise<void> {
  const secrets = [...Object.values(DEMO_TOKENS), INVALID_TOKEN];
  const { findings, files, dumpRows } = runSecretScan(secrets);
  console.log(`secret scan: ${files} files (responses, server log, .next/static, ${dumpRows} database rows, raw database files), ${secrets.length} token values, ${findings.length} findings`);
  if (findings.length > 0) {
    throw new Error(`SECRET SCAN FAILED: token values found:\n${findings.map((finding) => `  token #${finding.secret} (${finding.encoding}) in ${finding.where}`).join('\n')}`);
  }
}
