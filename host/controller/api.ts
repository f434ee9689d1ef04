import type { Msg } from '@nats-io/transport-node';
import { parseManifest } from '../../lattice/apps/index.ts';
import type { AppSummary, StoredApp } from '../../lattice/apps/index.ts';
import type { AppStore } from './app-store.ts';

type Reply = Record<string, unknown>;

/** What the API reads and writes (the KV {@link AppStore}; a map in unit tests). */
export type AppStorePort = Pick<AppStore, 'get' | 'put' | 'delete' | 'list'>;

/** The `{"version": "..."}` body of get and deploy: undefined when empty; a body of another shape is refused. */
function versionOf(msg: Pick<Msg, 'data' | 'string'>): { version?: string } | undefined {
  if (!msg.data.length) return {};
  try {
    const v = JSON.parse(msg.string()) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const version = (v as { version?: unknown }).version;
    if (version !== undefined && typeof version !== 'string') return undefined;
    return version === undefined ? {} : { version };
  } catch {
    return undefined;
  }
}
const badVersion: Reply = { result: 'error', message: 'the body must be empty or {"version": "<version>"}' };

/** Serves the wadm model API (`wadm.api.{lattice}.model.{op}[.{name}]`) from the app store, with wadm's shapes. */
export async function handleApi(
  store: AppStorePort,
  op: string,
  name: string | undefined,
  msg: Pick<Msg, 'data' | 'string'>,
  onDeployChange: () => void,
): Promise<Reply> {
  const notFound = (result = 'notfound'): Reply => ({ result, message: `application "${name ?? ''}" not found` });
  switch (op) {
    case 'put': {
      const { manifest, problems } = parseManifest(msg.string());
      if (!manifest)
        return {
          result: 'error',
          message: problems.map((p) => `${p.path}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`).join('; '),
        };
      const app: StoredApp = (await store.get(manifest.metadata.name)) ?? {
        name: manifest.metadata.name,
        versions: [],
        status: { type: 'undeployed', message: '' },
      };
      const version = manifest.metadata.annotations?.['version'] ?? `v${app.versions.length + 1}`;
      if (app.versions.some((v) => v.version === version))
        return {
          result: 'error',
          message: `version ${version} of ${app.name} already exists: bump metadata.annotations.version`,
        };
      app.versions.push({ version, manifest, created_at: new Date().toISOString() });
      await store.put(app);
      return {
        result: app.versions.length === 1 ? 'created' : 'newversion',
        total_versions: app.versions.length,
        current_version: version,
        message: `stored ${app.name} ${version}`,
        name: app.name,
      };
    }
    case 'get': {
      const app = name ? await store.get(name) : undefined;
      if (!app) return notFound();
      const body = versionOf(msg);
      if (!body) return badVersion;
      const want = body.version;
      const v = want ? app.versions.find((x) => x.version === want) : app.versions[app.versions.length - 1];
      return v ? { result: 'success', message: '', manifest: v.manifest } : notFound();
    }
    case 'list':
      return {
        result: 'success',
        message: '',
        models: (await store.list()).map((a): AppSummary => ({
          name: a.name,
          version: a.versions[a.versions.length - 1]?.version ?? '',
          description: String(
            (a.versions[a.versions.length - 1]?.manifest as { metadata?: { annotations?: Record<string, string> } })
              ?.metadata?.annotations?.['description'] ?? '',
          ),
          deployed_version: a.deployed_version,
          status: a.status.type,
          status_message: a.status.message,
        })),
      };
    case 'versions': {
      const app = name ? await store.get(name) : undefined;
      return app
        ? {
            result: 'success',
            message: '',
            versions: app.versions.map((v) => ({
              version: v.version,
              deployed: v.version === app.deployed_version,
              created_at: v.created_at,
            })),
          }
        : notFound();
    }
    case 'deploy': {
      const app = name ? await store.get(name) : undefined;
      if (!app || !app.versions.length) return notFound();
      const body = versionOf(msg);
      if (!body) return badVersion;
      const want = body.version;
      const v = want ? app.versions.find((x) => x.version === want) : app.versions[app.versions.length - 1];
      if (!v) return { result: 'error', message: `no version ${want} of ${name}` };
      app.deployed_version = v.version;
      app.status = { type: 'reconciling', message: 'deploying' };
      await store.put(app);
      onDeployChange();
      return { result: 'acknowledged', message: `deploying ${name} ${v.version}`, name, version: v.version };
    }
    case 'undeploy': {
      const app = name ? await store.get(name) : undefined;
      if (!app) return notFound();
      delete app.deployed_version;
      app.status = { type: 'undeployed', message: '' };
      await store.put(app);
      onDeployChange();
      return { result: 'acknowledged', message: `undeploying ${name}`, name };
    }
    case 'del': {
      const app = name ? await store.get(name) : undefined;
      if (!app) return { result: 'noop', message: `no application ${name}`, undeploy: false };
      const undeploy = !!app.deployed_version;
      await store.delete(app.name);
      onDeployChange();
      return { result: 'deleted', message: `deleted ${name}`, undeploy };
    }
    case 'status': {
      const app = name ? await store.get(name) : undefined;
      if (!app) return notFound();
      return {
        result: 'ok',
        message: '',
        status: { version: app.deployed_version ?? '', status: app.status, scalers: [] },
      };
    }
    default:
      return { result: 'error', message: `unknown wadm operation "${op}"` };
  }
}
