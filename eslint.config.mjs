// Lint rules, including the import boundaries: one owner for each dangerous thing.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

// Each entry: a module, the only files that may import it, and why.
const OWNED_IMPORTS = [
  { name: '@grpc/grpc-js', owners: ['lib/tinvest/**', 'emulator/**', 'bench/**'], message: 'Only lib/tinvest speaks gRPC (and the emulator and benchmarks that stand in for T-Bank).' },
  { name: 'undici', owners: ['lib/tapi/**', 'emulator/**', 'bench/**'], message: 'Only lib/tapi speaks T-API REST and mTLS (and the emulator and benchmarks that stand in for T-Bank).' },
  { name: '@/lib/vault/token-handle', owners: ['lib/tinvest/**', 'lib/tapi/**', 'lib/vault/**'], message: 'Only the API clients read a token handle; everyone else passes it on.', allowTypeImports: true },
  { name: 'next-auth', owners: ['lib/auth/next-auth.ts'], message: 'Only lib/auth/next-auth.ts imports next-auth.' },
  { name: 'next-auth/react', owners: ['app/_components/auth/session-actions.ts'], message: 'Sign in and out through app/_components/auth/session-actions.ts.' },
  { name: 'pg', owners: ['lib/db/**', 'lib/migrations/**', 'lib/testing/**'], message: 'Database connections are opened in lib/db/connect.ts.' },
  { name: 'ioredis', owners: ['lib/cluster/redis.ts'], message: 'Only lib/cluster/redis.ts talks to Redis; use lib/cluster.' },
  { name: 'next/link', owners: ['app/_components/ui/link.tsx'], message: 'Use @/app/_components/ui/link: it prefetches a route when its link is reached for, not when it scrolls into view.' },
  { name: '@electric-sql/pglite', owners: ['lib/db/**', 'lib/migrations/**', 'lib/testing/**'], message: 'Database connections are opened in lib/db/connect.ts.' },
];
const OWNED_PATTERNS = [
  { group: ['**/generated/prisma/*', '@/lib/generated/*'], owners: ['lib/db.ts', 'lib/db/**', 'lib/migrations/**', 'lib/testing/**'], message: 'Use db() from lib/db.ts.' },
  { group: ['@/lib/tinvest/gen/*', '**/tinvest/gen/*'], owners: ['lib/tinvest/**', 'emulator/**', 'bench/**'], message: 'Generated T-Invest types stay inside lib/tinvest (and the emulator).' },
];

function restrictionsFor(file) {
  const strip = ({ owners: _owners, ...rest }) => rest;
  return {
    paths: OWNED_IMPORTS.filter((rule) => !rule.owners.includes(file)).map(strip),
    patterns: OWNED_PATTERNS.filter((rule) => !rule.owners.includes(file)).map(strip),
  };
}

const ownerGlobs = [...new Set([...OWNED_IMPORTS, ...OWNED_PATTERNS].flatMap((rule) => rule.owners))];

const config = [
  {
    ignores: ['.next/**', 'node_modules/**', 'lib/generated/**', 'lib/tinvest/gen/**', 'data/**', 'e2e/.artifacts/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'],
  },
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      'no-restricted-imports': ['error', restrictionsFor(null)],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...ownerGlobs.map((glob) => ({ files: [glob], rules: { 'no-restricted-imports': ['error', restrictionsFor(glob)] } })),
  // app/ is thin: pages and handlers call lib/ data-access functions; they never query.
  // Owners that live in app/ keep these rules and lose only their own restriction.
  ...[null, ...ownerGlobs.filter((glob) => glob.startsWith('app/'))].map((glob) => ({
    files: [glob ?? 'app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...restrictionsFor(glob).paths, { name: '@/lib/db', message: 'Pages and handlers call a lib/ function; they never query.' }],
          patterns: [
            ...restrictionsFor(glob).patterns,
            { group: ['@/lib/vault/*', '@/lib/tinvest/*', '@/lib/tapi/*', '@/lib/db/*', '@/lib/migrations/*'], message: 'app/ calls data-access functions, not infrastructure.' },
          ],
        },
      ],
    },
  })),
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
