// `npm run db:migrate` applies pending migrations; `npm run db:migration -- <name>` creates one;
// `npm run db:status` reports history and drift. Works offline (wasm schema engine).
import { closePglite, databaseTarget, describeTarget } from '../db/connect';
import { env } from '../env';
import { applyMigrations, createMigration, migrationStatus, schemaDrift } from './migrations';

async function main(command: string | undefined, args: string[]): Promise<number> {
  const target = databaseTarget(env());
  switch (command) {
    case 'deploy': {
      const applied = await applyMigrations(target);
      console.log(applied.length ? `Applied ${applied.length} migration(s) to ${describeTarget(target)}: ${applied.join(', ')}` : `${describeTarget(target)} is up to date.`);
      return 0;
    }
    case 'create': {
      const name = args[0];
      if (!name) {
        console.error('Usage: npm run db:migration -- <name>   (lowercase letters, digits, underscores)');
        return 2;
      }
      const directory = await createMigration(name);
      console.log(directory ? `Created ${directory}/migration.sql` : 'schema.prisma matches the migration history; no migration created.');
      return 0;
    }
    case 'status': {
      const status = await migrationStatus(target);
      const drift = await schemaDrift(target);
      console.log(JSON.stringify({ database: describeTarget(target), history: status.history, failedMigrations: status.failedMigrationNames, drift: drift || null }, null, 2));
      return status.history || drift ? 1 : 0;
    }
    default:
      console.error('Usage: tsx lib/migrations/cli.ts deploy | create <name> | status');
      return 2;
  }
}

main(process.argv[2], process.argv.slice(3))
  .then(async (code) => {
    await closePglite();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await closePglite();
    process.exit(1);
  });
