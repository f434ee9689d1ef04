import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { decodeHealthReply } from '../../lattice/index.ts';
import type { Link, Provider, ProviderContext, ResolvedLink } from '../../lattice/index.ts';
import type { Logger } from '../logger.ts';

/** How to reach NATS from a provider process (its own connection; never logged). */
export interface ExternalNats {
  url: string;
  seed?: string;
  jwt?: string;
  /**
   * Seeds of the restricted nkey users `weft up` made for its nats-server (see lattice/nats/nats-users.ts): external
   * provider processes get `provider`, providers in the host that connect on their own (messaging-nats) `messaging`.
   * Absent: both use the credentials above (the host's).
   */
  users?: { provider: string; messaging: string };
}

/** The connection options of a built-in provider's own connections (`ProviderContext.natsOptions`). */
export function builtinNatsOf(n: ExternalNats | undefined): { url: string; seed?: string; jwt?: string } | undefined {
  if (!n) return undefined;
  return n.users ? { url: n.url, seed: n.users.messaging } : { url: n.url, seed: n.seed, jwt: n.jwt };
}

const subject = (lattice: string, id: string, op: string): string => `wasmbus.rpc.${lattice}.${id}.${op}`;
const encode = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64') + '\r\n';

/**
 * A provider running as a child process (`file:///path/provider.ts`, built on `capabilities/sdk` runProvider):
 * started with HostData on stdin and a cleared environment, links delivered on `linkdefs.put|del`, health
 * requested on `health`, restarted with back-off when it dies, asked to `default.shutdown` then killed on stop.
 * Component calls reach it over NATS (it has no in-process `handleImport`).
 */
export class ExternalProviderProcess implements Provider {
  readonly #path: string;
  readonly #nats: ExternalNats;
  readonly #logger: Logger;
  readonly #onRestart: (attempt: number) => void;
  #ctx!: ProviderContext;
  #child: ChildProcess | undefined;
  #stopping = false;
  #restarts = 0;
  readonly #links = new Map<string, ResolvedLink>();

  constructor(path: string, nats: ExternalNats, logger: Logger, onRestart: (attempt: number) => void) {
    this.#path = path;
    this.#nats = nats;
    this.#logger = logger;
    this.#onRestart = onRestart;
  }

  /** The child's pid (for tests and `weft get inventory`). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async init(ctx: ProviderContext): Promise<void> {
    this.#ctx = ctx;
    for (const l of ctx.links ?? []) this.#links.set(`${l.source_id}|${l.target}|${l.name}`, l);
    await this.#spawn();
  }

  async #spawn(): Promise<void> {
    const child = spawn(process.execPath, [this.#path], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    this.#child = child;
    const ready = new Promise<void>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`provider process ${this.#path} did not become ready in 15 s`)),
        15_000,
      );
      child.stderr?.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n').filter(Boolean)) {
          if (line.includes('provider ready')) {
            clearTimeout(t);
            resolve();
          }
          this.#logger.info({ provider_id: this.#ctx.providerId, stream: 'stderr' }, line);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`provider process exited with code ${code} before it was ready`));
      });
    });
    ready.catch(() => undefined);
    const onExit = (code: number | null, signal: NodeJS.Signals | null): Promise<void> =>
      this.#onExit(child, code, signal);
    child.once(
      'exit',
      (code, signal) =>
        void onExit(code, signal).catch((err: unknown) =>
          this.#logger.warn({ err: (err as Error).message }, 'provider restart failed'),
        ),
    );
    // HostData is the first line; stdin then stays open while this host lives, so the provider sees it close and
    // exits when the host dies (even by kill -9) instead of serving on orphaned
    child.stdin?.on('error', () => undefined); // the child died: its exit is handled below
    child.stdin?.write(
      encode({
        host_id: this.#ctx.hostId,
        lattice_rpc_prefix: this.#ctx.lattice,
        lattice_rpc_url: this.#nats.url,
        lattice_rpc_user_seed: this.#nats.users?.provider ?? this.#nats.seed,
        lattice_rpc_user_jwt: this.#nats.users ? undefined : this.#nats.jwt,
        provider_key: this.#ctx.providerId,
        link_name: 'default',
        config: this.#ctx.config,
        link_definitions: [...this.#links.values()],
        default_rpc_timeout_ms: 2000,
        log_level: 'info',
      }),
    );
    await ready;
  }

  async #onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.#stopping || child !== this.#child) return;
    const attempt = ++this.#restarts;
    const delay = Math.min(30_000, 250 * 2 ** Math.min(attempt - 1, 7));
    this.#logger.warn(
      { provider_id: this.#ctx.providerId, code, signal, restart_in_ms: delay },
      'provider process died; restarting',
    );
    await new Promise((r) => setTimeout(r, delay));
    if (this.#stopping) return;
    try {
      await this.#spawn();
      this.#onRestart(attempt);
    } catch (err) {
      this.#logger.error({ provider_id: this.#ctx.providerId, err: (err as Error).message }, 'provider restart failed');
    }
  }

  async #send(op: string, body: unknown): Promise<void> {
    await this.#ctx.nc.request(subject(this.#ctx.lattice, this.#ctx.providerId, op), JSON.stringify(body), {
      timeout: 2000,
    });
  }

  async onLinkAsSource(link: ResolvedLink): Promise<void> {
    this.#links.set(`${link.source_id}|${link.target}|${link.name}`, link);
    await this.#send('linkdefs.put', link);
  }

  async onLinkAsTarget(link: ResolvedLink): Promise<void> {
    this.#links.set(`${link.source_id}|${link.target}|${link.name}`, link);
    await this.#send('linkdefs.put', link);
  }

  async onLinkDeleted(link: Link): Promise<void> {
    this.#links.delete(`${link.source_id}|${link.target}|${link.name}`);
    await this.#send('linkdefs.del', link);
  }

  async health(): Promise<{ healthy: boolean; message?: string }> {
    try {
      const m = await this.#ctx.nc.request(subject(this.#ctx.lattice, this.#ctx.providerId, 'health'), '', {
        timeout: 2000,
      });
      return decodeHealthReply(m.data); // a forged reply is an unhealthy check, not a crash
    } catch (err) {
      return { healthy: false, message: (err as Error).message };
    }
  }

  async shutdown(): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    await this.#send('default.shutdown', { host_id: this.#ctx.hostId }).catch(() => undefined);
    child.stdin?.end();
    await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 300))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
