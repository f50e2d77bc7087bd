// `npm run audit -- verify`: proves the audit chain intact (exit 0) or names the first broken record (exit 1).
import { closePglite, databaseTarget } from '../db/connect';
import { env } from '../env';
import { applyMigrations } from '../migrations/migrations';
import { verifyAuditChain } from './verify-audit-chain';

const USAGE = 'Usage: npm run audit -- verify';

async function main(command: string | undefined): Promise<number> {
  if (command !== 'verify') {
    console.error(USAGE);
    return 2;
  }
  await applyMigrations(databaseTarget(env()));
  const verdict = await verifyAuditChain();
  if (verdict.ok) {
    console.log(`Audit chain intact: ${verdict.records} record(s); head hash ${verdict.headHash}`);
    return 0;
  }
  console.error(`Audit chain BROKEN at record ${verdict.firstBroken.seq}: ${verdict.firstBroken.reason} (${verdict.records} record(s) before it are intact)`);
  return 1;
}

main(process.argv[2])
  .then(async (code) => {
    await closePglite();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await closePglite().catch(() => {});
    process.exit(1);
  });
