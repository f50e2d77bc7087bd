import 'server-only';
// Where the vault's key-encryption key lives, for the deposit form's explanation (owners/admins).
import { env } from '../env';
import { keyFilePath } from '../vault';
import { readyVault } from '../vault/runtime';
import type { VaultInfoDto } from './dto';
import { assertCan, type Actor } from './mutate-token';

/** The key source and versions; never key bytes or check values. */
export async function vaultInfo(viewer: Actor): Promise<VaultInfoDto> {
  assertCan(viewer, 'tokens.create', 'Only owners and admins see where the vault key lives.', 'errors.tokens.vaultInfoForbidden');
  const { ring } = await readyVault();
  const fromFile = ring.source.startsWith('the key file');
  return {
    source: fromFile ? 'key-file' : 'env',
    ...(fromFile ? { keyFilePath: keyFilePath(env().dataDir) } : {}),
    keyVersions: [...ring.versions],
    current: ring.current,
  };
}
