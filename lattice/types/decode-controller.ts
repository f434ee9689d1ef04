import { parseManifest } from '../apps/manifest.ts';
import type { AppStatusType, StoredApp, StoredVersion } from '../apps/api.ts';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { asObject, id, list, num, parseJson, str } from './limits.ts';

/** Decoders of the controller's KV entries (`wadm_manifests`, `weft_controller`); each throws LAT_BAD_PAYLOAD. */

const STATUS: readonly AppStatusType[] = ['waiting', 'undeployed', 'reconciling', 'deployed', 'failed', 'unhealthy'];
const bad = (msg: string): LatticeError => new LatticeError(LatticeErrorCode.BadPayload, msg);

/**
 * A stored application of `wadm_manifests`: its name must be `name` (the key's), every version has a string
 * `version` and an object `manifest`, and the deployed version, when set, exists and is a valid manifest (checked
 * by {@link parseManifest}, as `model.put` does), so a forged entry cannot make a reconcile pass throw.
 */
export function decodeStoredApp(data: Uint8Array | string, name: string): StoredApp {
  const w = `stored application "${name.slice(0, 80)}"`;
  const o = asObject(parseJson(data, w), w);
  if (id(o, 'name', w) !== name) throw bad(`${w}: "name" is not the key's application name`);
  const versions = list(o, 'versions', w, (v, vw): StoredVersion => {
    const x = asObject(v, vw);
    return {
      version: id(x, 'version', vw),
      manifest: asObject(x['manifest'], `${vw}: "manifest"`),
      created_at: str(x, 'created_at', vw, ''),
    };
  });
  const st = asObject(o['status'] ?? { type: 'undeployed', message: '' }, `${w}: "status"`);
  const type = str(st, 'type', `${w}: status`) as AppStatusType;
  if (!STATUS.includes(type)) throw bad(`${w}: status "type" must be one of ${STATUS.join(', ')}`);
  const app: StoredApp = { name, versions, status: { type, message: str(st, 'message', `${w}: status`, '') } };
  if (o['deployed_version'] !== undefined && o['deployed_version'] !== null) {
    const dv = str(o, 'deployed_version', w);
    const v = versions.find((x) => x.version === dv);
    if (!v) throw bad(`${w}: deployed version "${dv.slice(0, 80)}" is not stored`);
    const { manifest, problems } = parseManifest(JSON.stringify(v.manifest));
    if (!manifest)
      throw bad(
        `${w}: deployed manifest is invalid: ${problems
          .map((p) => `${p.path}: ${p.message}`)
          .join('; ')
          .slice(0, 300)}`,
      );
    v.manifest = manifest;
    app.deployed_version = dv;
  }
  return app;
}

/** The controller lease of `weft_controller` (`lease_{lattice}`). */
export interface LeaseEntry {
  holder: string;
  /** Epoch ms. */
  expires: number;
}

/**
 * A lease entry: a non-empty `holder` and a numeric `expires` no later than `maxAheadMs` from now, so a forged lease
 * (junk, or one that claims to last for ever) reads as expired and can be taken over.
 */
export function decodeLeaseEntry(data: Uint8Array | string, maxAheadMs: number, now = Date.now()): LeaseEntry {
  const w = 'controller lease';
  const o = asObject(parseJson(data, w), w);
  const lease = { holder: id(o, 'holder', w), expires: num(o, 'expires', w) };
  if (lease.expires > now + maxAheadMs) throw bad(`${w}: expires more than ${maxAheadMs} ms from now`);
  return lease;
}
