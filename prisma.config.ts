// Prisma CLI configuration. The app itself connects through lib/db.ts (PGlite or pg adapter).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
