/**
 * @module lattice/apps
 * wadm-compatible applications: OAM manifests (parse, validate with paths), wadm API subjects and result shapes.
 *
 * ```ts
 * import { parseManifest, wadmSubject } from './lattice/apps/index.ts';
 * const { manifest, problems } = parseManifest(yamlText);
 * for (const p of problems) console.log(`${p.path} (line ${p.line}): ${p.message}`);
 * await nc.request(wadmSubject.api('default', 'put'), yamlText);
 * ```
 */
export { parseManifest, componentIdOf } from './manifest.ts';
export { wadmSubject } from './api.ts';
export { WadmClient } from './wadm-client.ts';
export type { Manifest, ManifestComponent, ManifestProblem, Spread, Trait } from './manifest.ts';
export type { AppStatusType, StoredApp, StoredVersion, AppSummary } from './api.ts';
export type { WadmReply, PutReply, StatusReply, WadmClientOptions } from './wadm-client.ts';
