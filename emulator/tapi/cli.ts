// `npm run emulator:tapi -- --port 8443 --secure-port 8444`: runs the T-API emulator until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { loadScenarioFile, ScenarioError, startTapiEmulator, type Scenario } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8443' },
      'secure-port': { type: 'string', default: '8444' },
      'admin-port': { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string' },
      'ca-dir': { type: 'string' },
      'large-statement': { type: 'string' },
      'retry-after': { type: 'boolean', default: false },
    },
  });
  const port = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ScenarioError(`--${name} must be a port number, got "${value}"`);
    return n;
  };
  let largeStatement: number | undefined;
  if (values['large-statement'] !== undefined) {
    largeStatement = Number(values['large-statement']);
    if (!Number.isInteger(largeStatement) || largeStatement < 1 || largeStatement > 10_000_000) throw new ScenarioError(`--large-statement must be a number of operations (1 to 10000000), got "${values['large-statement']}"`);
    if (values.scenario) throw new ScenarioError('--large-statement adds to the built-in scenario; it cannot go with --scenario');
  }
  let scenario: Scenario | undefined;
  if (values.scenario) scenario = loadScenarioFile(values.scenario);
  const emulator = await startTapiEmulator({
    host: values.host,
    port: port('port', values.port),
    securePort: port('secure-port', values['secure-port']),
    adminPort: port('admin-port', values['admin-port']),
    scenario,
    largeStatement,
    certificates: values['ca-dir'] ? { dir: values['ca-dir'] } : undefined,
    retryAfter: values['retry-after'] || undefined,
  });
  console.log(`production  ${emulator.baseUrl}/api/...`);
  console.log(`sandbox     ${emulator.sandboxBaseUrl}/api/...  (token TBankSandboxToken)`);
  console.log(`secured     ${emulator.securedBaseUrl}/api/...  (mTLS)`);
  console.log(`admin       ${emulator.adminUrl}`);
  console.log(`CA          ${emulator.caFile}`);
  console.log('tokens:');
  for (const t of emulator.scenario.tokens) console.log(`  ${t.label.padEnd(22)} ${t.company.padEnd(14)} ${t.revoked ? '(revoked) ' : ''}${t.value}`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ScenarioError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
