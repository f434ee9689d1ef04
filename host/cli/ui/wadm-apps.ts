import { isNoResponders, isTimeout } from '../../../lattice/index.ts';
import { dropBadInput } from '../../../lattice/index.ts';
import type { WadmClient } from '../../../lattice/apps/index.ts';
import type { AppView } from './lattice-view.ts';

/**
 * Applications from the wadm API (`model.list` through {@link WadmClient}); none when no controller answers. Each
 * model is checked here (the client passes the list on as it came): one without a string name is dropped, strings are
 * bounded.
 */
export function wadmApps(wadm: WadmClient): () => Promise<AppView[]> {
  return async () => {
    let models: unknown[];
    try {
      models = await wadm.list();
    } catch (err) {
      if (isNoResponders(err) || isTimeout(err)) return [];
      throw err;
    }
    const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, 1000) : undefined);
    const out: AppView[] = [];
    for (const raw of models) {
      const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const name = text(m['name']);
      if (!name) {
        dropBadInput('dashboard model.list replies', 'a model without a string name');
        continue;
      }
      out.push({
        name,
        version: text(m['deployed_version']) ?? text(m['version']),
        status: text(m['status']),
        message: text(m['status_message']),
      });
    }
    return out;
  };
}
