import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { weftHome } from './home.ts';

/** A named set of connection defaults (`weft ctx`): lattice, NATS URL and credentials (file paths, not secrets). */
export interface WeftContext {
  nats_url: string;
  lattice: string;
  nats_creds?: string;
  tls_ca?: string;
}

interface ContextFile {
  current?: string;
  contexts: Record<string, WeftContext>;
}

const file = (): string => join(weftHome(), 'contexts.json');

export function readContexts(): ContextFile {
  try {
    return JSON.parse(readFileSync(file(), 'utf8')) as ContextFile;
  } catch {
    return { contexts: {} };
  }
}

export async function writeContexts(c: ContextFile): Promise<void> {
  await writeFile(file(), JSON.stringify(c, null, 2), { mode: 0o600 });
}

/** The context in use: `WEFT_CONTEXT`, else the one chosen with `weft ctx use`. */
export function currentContext(): { name: string; ctx: WeftContext } | undefined {
  const c = readContexts();
  const name = process.env['WEFT_CONTEXT'] ?? c.current;
  const ctx = name ? c.contexts[name] : undefined;
  return name && ctx ? { name, ctx } : undefined;
}
