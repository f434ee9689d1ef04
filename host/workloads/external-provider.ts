import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  awaitProviderReady,
  decodeHealthReply,
  encodeHostData,
  linkKey,
  providerSubject,
  settleWithin,
} from '../../lattice/index.ts';
import type { HostData, Link, Provider, ProviderContext, ResolvedLink } from '../../lattice/index.ts';
import type { Logger } from '../logger.ts';
import { ProviderXkeys } from './external-provider-secrets.ts';
import { isSecretConfigName } from '../../lattice/secrets/index.ts';

/** True when a link names a secret on either side (wasmCloud then sends no back-compat copy of it). */
const namesSecrets = (l: Link): boolean =>
  l.source_config.some(isSecretConfigName) || l.target_config.some(isSecretConfigName);

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

/** How long a provider process has to report ready (its `init` included). */
const READY_TIMEOUT_MS = 15_000;
/** How long a control request (links, health, shutdown) may take (wasmCloud's default_rpc_timeout_ms). */
const RPC_TIMEOUT_MS = 2000;

/**
 * A provider running as a child process (`file:///path/provider.ts`, built on `capabilities/sdk` runProvider):
 * started with HostData on stdin (`lattice/provider` codec) and a cleared environment, ready when it reports so over
 * NATS (the handshake of `lattice/provider/handshake.ts`, for the instance id of this start), its own secrets in
 * HostData `secrets`, links delivered on `linkdefs.put` (on the xkey of this start, their secrets sealed to it) and
 * `linkdefs.del`, health requested on `health`, restarted with back-off when it dies, asked to
 * `default.shutdown` then killed on stop.
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
  #xkeys = new ProviderXkeys();

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
    for (const l of ctx.links ?? []) this.#links.set(linkKey(l), l);
    await this.#spawn();
  }

  async #spawn(): Promise<void> {
    const instanceId = randomUUID();
    this.#xkeys = new ProviderXkeys(); // a fresh pair per start: a dead process's key opens nothing sent later
    const hostData = await this.#hostData(instanceId);
    const wait = await awaitProviderReady(this.#ctx.nc, {
      lattice: this.#ctx.lattice,
      providerId: this.#ctx.providerId,
      instanceId,
      hostId: this.#ctx.hostId,
      timeoutMs: READY_TIMEOUT_MS,
    });
    const child = spawn(process.execPath, [this.#path], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    this.#child = child;
    child.stderr?.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean))
        this.#logger.info({ provider_id: this.#ctx.providerId, stream: 'stderr' }, line);
    });
    child.once('exit', (code) => wait.fail(new Error(`provider process exited with code ${code} before it was ready`)));
    child.once(
      'exit',
      (code, signal) =>
        void this.#onExit(child, code, signal).catch((err: unknown) =>
          this.#logger.warn({ err: (err as Error).message }, 'provider restart failed'),
        ),
    );
    // HostData is the first line; stdin then stays open while this host lives, so the provider sees it close and
    // exits when the host dies (even by kill -9) instead of serving on orphaned
    child.stdin?.on('error', () => undefined); // the child died: its exit is handled below
    child.stdin?.write(encodeHostData(hostData));
    await wait.ready.catch((err: unknown) => {
      if (child.exitCode === null) child.kill('SIGKILL'); // not ready in time: the supervisor starts another
      throw err;
    });
  }

  async #hostData(instanceId: string): Promise<HostData> {
    const links = await Promise.all(
      [...this.#links.values()].map((l) =>
        this.#xkeys.seal(l, this.#ctx.linkSecrets).catch((err: unknown) => {
          const at = { provider_id: this.#ctx.providerId, source_id: l.source_id, target: l.target, link: l.name };
          this.#logger.warn({ ...at, err: (err as Error).message }, 'link secrets not resolved; link sent without');
          return l;
        }),
      ),
    );
    return {
      ...this.#xkeys.hostDataKeys(),
      host_id: this.#ctx.hostId,
      lattice_rpc_prefix: this.#ctx.lattice,
      lattice_rpc_url: this.#nats.url,
      lattice_rpc_user_seed: this.#nats.users?.provider ?? this.#nats.seed,
      lattice_rpc_user_jwt: this.#nats.users ? undefined : this.#nats.jwt,
      provider_key: this.#ctx.providerId,
      instance_id: instanceId,
      link_name: 'default',
      config: this.#ctx.config,
      secrets: { ...this.#ctx.secrets }, // resolved once per provider start, as wasmCloud's HostData (reused on restart)
      link_definitions: links,
      default_rpc_timeout_ms: RPC_TIMEOUT_MS,
      log_level: 'info',
    };
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

  async #send(subject: (lattice: string, id: string) => string, body: unknown): Promise<void> {
    await this.#ctx.nc.request(subject(this.#ctx.lattice, this.#ctx.providerId), JSON.stringify(body), {
      timeout: RPC_TIMEOUT_MS,
    });
  }

  async onLinkAsSource(link: ResolvedLink): Promise<void> {
    await this.#putLink(link);
  }

  async onLinkAsTarget(link: ResolvedLink): Promise<void> {
    await this.#putLink(link);
  }

  /**
   * As wasmCloud's host: the link, its secrets sealed to this start's xkey, on the process's own subject
   * `wasmbus.rpc.{lattice}.{provider_xkey}.linkdefs.put` (a request: the process answers once applied); then, only
   * for a link that names no secrets, the back-compat copy on `wasmbus.rpc.{lattice}.{provider_id}.linkdefs.put` for
   * providers that listen there only (published, as wasmCloud's; the SDK skips a copy of what it holds).
   */
  async #putLink(link: ResolvedLink): Promise<void> {
    this.#links.set(linkKey(link), link);
    const sealed = await this.#xkeys.seal(link, this.#ctx.linkSecrets);
    const body = JSON.stringify(sealed);
    const lattice = this.#ctx.lattice;
    await this.#ctx.nc.request(providerSubject.linkPut(lattice, this.#xkeys.providerPublicKey()), body, {
      timeout: RPC_TIMEOUT_MS,
    });
    if (!namesSecrets(link)) this.#ctx.nc.publish(providerSubject.linkPut(lattice, this.#ctx.providerId), body);
  }

  async onLinkDeleted(link: Link): Promise<void> {
    this.#links.delete(linkKey(link));
    await this.#send(providerSubject.linkDel, link);
  }

  async health(): Promise<{ healthy: boolean; message?: string }> {
    try {
      const m = await this.#ctx.nc.request(providerSubject.health(this.#ctx.lattice, this.#ctx.providerId), '', {
        timeout: RPC_TIMEOUT_MS,
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
    await this.#send(providerSubject.shutdown, { host_id: this.#ctx.hostId }).catch(() => undefined);
    child.stdin?.end();
    await settleWithin(new Promise((r) => child.once('exit', r)), 300);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
