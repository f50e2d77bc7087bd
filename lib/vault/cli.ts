// `npm run vault -- status | rotate`: the vault's operator commands (docs/vault.md).
import { closePglite, databaseTarget } from '../db/connect';
import { env } from '../env';
import { applyMigrations } from '../migrations/migrations';
import { rotateVault, vaultStatusReport } from './rotate-vault';
import { isVaultError } from './vault-error';

const USAGE = 'Usage: npm run vault -- status | rotate';

async function main(command: string | undefined): Promise<number> {
  if (command !== 'status' && command !== 'rotate') {
    console.error(USAGE);
    return 2;
  }
  await applyMigrations(databaseTarget(env()));
  if (command === 'status') {
    const status = await vaultStatusReport();
    console.log(`Keys ${status.keySource === 'STRONGROOM_MASTER_KEY' ? 'from STRONGROOM_MASTER_KEY' : `in ${status.keySource}`}; current version ${status.current}`);
    console.log('version  current  in ring  records  check value');
    for (const version of status.versions) {
      console.log(`${String(version.version).padEnd(9)}${(version.current ? 'yes' : '').padEnd(9)}${(version.inRing ? 'yes' : 'NO').padEnd(9)}${String(version.records).padEnd(9)}${version.kcv ?? '—'}`);
    }
    return 0;
  }
  if (command === 'rotate') {
    const outcome = await rotateVault();
    if (outcome.kind === 'instructions') {
      console.log(outcome.text);
      return 0;
    }
    if (outcome.addedVersion !== null) console.log(`Added key version ${outcome.addedVersion} to the key file. Back the key file up again now.`);
    console.log(`Rewrapped ${outcome.result.rewrapped} record(s) under key version ${outcome.result.kekVersion}${outcome.result.skipped ? ` (${outcome.result.skipped} changed meanwhile and were skipped)` : ''}.`);
    if (outcome.addedVersion !== null) console.log('Restart Strongroom so new deposits use the new version.');
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv[2])
  .then(async (code) => {
    await closePglite();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(isVaultError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
    await closePglite().catch(() => {});
    process.exit(1);
  });
