// `npm run emulator:tinvest -- --port 8080`: runs the emulator until SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadScenarioFile, ScenarioError, startTinvestEmulator, type FirehoseOptions, type Scenario } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      'sandbox-port': { type: 'string', default: '0' },
      'admin-port': { type: 'string', default: '0' },
      scenario: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      firehose: { type: 'string' },
      'firehose-payload': { type: 'string', default: 'mixed' },
    },
  });
  const port = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ScenarioError(`--${name} must be a port number, got "${value}"`);
    return n;
  };
  if (!!values['tls-cert'] !== !!values['tls-key']) throw new ScenarioError('--tls-cert and --tls-key go together');
  let firehose: FirehoseOptions | undefined;
  if (values.firehose !== undefined) {
    const rate = values.firehose === 'max' ? 'max' : Number(values.firehose);
    if (rate !== 'max' && !(Number.isFinite(rate) && rate > 0)) throw new ScenarioError(`--firehose must be "max" or messages per second, got "${values.firehose}"`);
    const payload = values['firehose-payload'];
    if (payload !== 'last_price' && payload !== 'trade' && payload !== 'mixed') throw new ScenarioError(`--firehose-payload must be last_price, trade or mixed, got "${payload}"`);
    firehose = { messagesPerSecond: rate, payload };
  }
  let scenario: Scenario | undefined;
  if (values.scenario) scenario = loadScenarioFile(values.scenario);
  const emulator = await startTinvestEmulator({
    host: values.host,
    port: port('port', values.port),
    sandboxPort: port('sandbox-port', values['sandbox-port']),
    adminPort: port('admin-port', values['admin-port']),
    scenario,
    tls: values['tls-cert'] && values['tls-key'] ? { certPem: readFileSync(values['tls-cert'], 'utf8'), keyPem: readFileSync(values['tls-key'], 'utf8') } : undefined,
    log: (line) => console.log(line),
    firehose,
  });
  console.log(`production  ${emulator.address}`);
  console.log(`sandbox     ${emulator.sandboxAddress}`);
  console.log(`admin       ${emulator.adminUrl}`);
  console.log('tokens:');
  for (const t of emulator.scenario.tokens) console.log(`  ${t.label.padEnd(22)} ${t.kind.padEnd(15)} ${t.revoked ? '(revoked) ' : ''}${t.value}`);
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
