/**
 * The built-in backend's xkey: `WEFT_SECRETS_XKEY_SEED`, else the seed file `{dir}/{backend}.xkey` (0600 in a 0700
 * directory), made on first use. Every process serving one backend must use the same seed: it opens what the others
 * sealed. The seed never appears in a log or an error.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newXkey, xkeyFromSeed, xkeySeed } from '../../lattice/secrets/index.ts';
import type { XKeyPair } from '../../lattice/secrets/index.ts';

export function loadBackendXkey(dir: string, backend: string, env: NodeJS.ProcessEnv = process.env): XKeyPair {
  const fromEnv = env['WEFT_SECRETS_XKEY_SEED'];
  if (fromEnv) return xkeyFromSeed(fromEnv);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${backend}.xkey`);
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0)
      throw new Error(
        `[SECRET_NOT_CONFIGURED] ${file} is readable by others: chmod 600 it (it holds the key of every stored secret)`,
      );
    return xkeyFromSeed(readFileSync(file, 'utf8'));
  }
  const kp = newXkey();
  writeFileSync(file, `${xkeySeed(kp)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return kp;
}
