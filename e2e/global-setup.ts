// Runs once before the specs: the web server is already up (see webServer in the config);
// fail early with a readable message if it is not healthy.
import type { FullConfig } from '@playwright/test';

export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL;
  const response = await fetch(`${baseURL}/api/health`);
  if (!response.ok) throw new Error(`Strongroom is not healthy at ${baseURL}: ${response.status} ${await response.text()}`);
}
