// Runs once before the specs: the web server and the T-Invest emulator are already up (see
// webServer in the config); clear the responses recorded by an earlier run (the secret scan reads
// them), and fail early with a readable message if Strongroom is not healthy.
import fs from 'node:fs';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';

export default async function globalSetup(config: FullConfig): Promise<void> {
  fs.rmSync(path.resolve(import.meta.dirname, '.artifacts/responses'), { recursive: true, force: true });
  // Private keys deposited by an earlier run (secret-scan.ts rememberDepositedKey); this run records its own.
  fs.rmSync(path.resolve(import.meta.dirname, '.artifacts/deposited-keys'), { recursive: true, force: true });
  const baseURL = config.projects[0]?.use.baseURL;
  const response = await fetch(`${baseURL}/api/health`);
  if (!response.ok) throw new Error(`Strongroom is not healthy at ${baseURL}: ${response.status} ${await response.text()}`);
}
