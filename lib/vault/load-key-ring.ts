import 'server-only';
// Chooses the KEK source: STRONGROOM_MASTER_KEY when set, else the key file in the data folder.
import { keyFilePath, loadOrCreateKeyFile } from './key-file';
import { parseMasterKey, type KeyRing } from './key-ring';

export interface KeyRingConfig {
  /** STRONGROOM_MASTER_KEY as given (one base64 key, or `v2:<base64>,v1:<base64>`); empty means unset. */
  masterKey?: string;
  /** The data folder, where the key file lives when no master key is given. */
  dataDir: string;
}

export interface LoadedKeyRing {
  ring: KeyRing;
  /** Set on first run in key-file mode: the operator should back the new file up now. */
  createdKeyFile?: string;
}

/** Loads the key ring once at start-up; then run verifyKeyRing against the stored check values. */
export function loadKeyRing({ masterKey, dataDir }: KeyRingConfig): LoadedKeyRing {
  if (masterKey !== undefined && masterKey.trim() !== '') return { ring: parseMasterKey(masterKey) };
  const { ring, created } = loadOrCreateKeyFile(dataDir);
  return created ? { ring, createdKeyFile: keyFilePath(dataDir) } : { ring };
}
