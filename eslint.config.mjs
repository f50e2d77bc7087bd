// Lint rules, including the import boundaries: one owner for each dangerous thing.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const only = (owners, name, message, extra = {}) => ({ owners, name, message, ...extra });

// Each entry: a module only its owners may import.
const OWNED_IMPORTS = [
  only(['lib/tinvest/**'], '@grpc/grpc-js', 'Only lib/tinvest speaks gRPC.'),
  only(['lib/tinvest/**', 'lib/tapi/**', 'lib/vault/**'], '@/lib/vault/token-handle', 'Only the API clients read a token handle; everyone else passes it on.', { allowTypeImports: true }),
  only(['lib/auth/next-auth.ts'], 'next-auth', 'Only lib/auth/next-auth.ts imports next-auth.'),
  only(['lib/db.ts', 'lib/db/**', 'lib/migrations/**'], '@prisma/client', 'Use db() from lib/db.ts.'),
  only(['lib/db/**', 'lib/migrations/**'], 'pg', 'Database connections are opened in lib/db/connect.ts.'),
  only(['lib/db/**', 'lib/migrations/**'], '@electric-sql/pglite', 'Database connections are opened in lib/db/connect.ts.'),
];

const byName = (name) => OWNED_IMPORTS.find((rule) => rule.name === name);

function restrictionsFor(exceptOwner) {
  return OWNED_IMPORTS.filter((rule) => rule !== exceptOwner).map(({ owners: _owners, ...path }) => path);
}

const config = [
  {
    ignores: ['.next/**', 'node_modules/**', 'lib/generated/**', 'lib/tinvest/gen/**', 'data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'],
  },
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: restrictionsFor(null),
          patterns: [
            { group: ['**/generated/prisma/*', '@/lib/generated/*'], message: 'Use db() from lib/db.ts.' },
            { group: ['@/lib/tinvest/gen/*', '**/tinvest/gen/*'], message: 'Generated T-Invest types stay inside lib/tinvest and emulator/.' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...OWNED_IMPORTS.map((rule) => ({
    files: rule.owners,
    rules: { 'no-restricted-imports': ['error', { paths: restrictionsFor(rule) }] },
  })),
  {
    // lib/db.ts and the migration tooling own the generated Prisma client.
    files: ['lib/db.ts', 'lib/db/**', 'lib/migrations/**'],
    rules: { 'no-restricted-imports': ['error', { paths: restrictionsFor(byName('@prisma/client')).filter((p) => p.name !== 'pg' && p.name !== '@electric-sql/pglite') }] },
  },
  {
    files: ['lib/tinvest/**', 'emulator/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', { paths: restrictionsFor(byName('@grpc/grpc-js')) }] },
  },
  {
    // app/ is thin: no database, no gRPC, no secrets.
    files: ['app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...restrictionsFor(null), { name: '@/lib/db', message: 'Pages and handlers call a lib/ function; they never query.' }],
          patterns: [{ group: ['@/lib/vault/*', '@/lib/tinvest/*', '@/lib/db/*'], message: 'app/ calls data-access functions, not infrastructure.' }],
        },
      ],
    },
  },
  {
    // process.env has one reader.
    files: ['app/**', 'lib/**'],
    ignores: ['lib/env.ts', 'lib/testing/**', 'lib/**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through lib/env.ts.' }],
    },
  },
];

export default config;
