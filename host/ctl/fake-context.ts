/**
 * A {@link CtlContext} over the `lattice/memory/` twins, for the handlers' unit tests: records what the handlers
 * asked of components and providers, and every event they published.
 */
import { MemoryClaimsStore, MemoryConfigStore, MemoryLinkStore } from '../../lattice/index.ts';
import type {
  CtlResponse,
  HostInfo,
  HostInventory,
  Link,
  RegistryCredentials,
  ScaleComponentCommand,
  StartProviderCommand,
  UpdateComponentCommand,
} from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import { runCtlHandler } from './server.ts';
import type { CtlComponents, CtlContext, CtlHandler, CtlProviders } from './types.ts';

/** What a fake component manager was asked. */
export class FakeComponents implements CtlComponents {
  readonly running = new Set<string>();
  readonly scaled: ScaleComponentCommand[] = [];
  readonly updated: UpdateComponentCommand[] = [];
  /** When set, scale and update reject with it (the handler acks anyway: the outcome is an event). */
  failWith: Error | undefined;
  has(id: string): boolean {
    return this.running.has(id);
  }
  scale(cmd: ScaleComponentCommand): Promise<void> {
    this.scaled.push(cmd);
    return this.failWith ? Promise.reject(this.failWith) : Promise.resolve();
  }
  update(cmd: UpdateComponentCommand): Promise<void> {
    this.updated.push(cmd);
    return this.failWith ? Promise.reject(this.failWith) : Promise.resolve();
  }
}

/** What a fake provider manager was asked. */
export class FakeProviders implements CtlProviders {
  readonly running = new Set<string>();
  readonly started: StartProviderCommand[] = [];
  readonly stopped: string[] = [];
  has(id: string): boolean {
    return this.running.has(id);
  }
  start(cmd: StartProviderCommand): Promise<void> {
    this.started.push(cmd);
    return Promise.resolve();
  }
  stop(id: string): Promise<void> {
    this.stopped.push(id);
    return Promise.resolve();
  }
}

/** Log lines by level, for assertions. */
export interface LoggedLine {
  level: 'info' | 'warn' | 'error';
  obj: unknown;
  msg: string | undefined;
}

/** The fake host. */
export class FakeCtlContext implements CtlContext {
  readonly id = 'NFAKEHOST';
  readonly lattice = 'unit';
  readonly config = new MemoryConfigStore();
  readonly claims = new MemoryClaimsStore();
  linkStore: MemoryLinkStore | undefined = new MemoryLinkStore();
  components: FakeComponents | undefined = new FakeComponents();
  readonly providers = new FakeProviders();
  readonly registryCredentials = new Map<string, RegistryCredentials>();
  readonly events: { type: string; data: Record<string, unknown> }[] = [];
  readonly logged: LoggedLine[] = [];
  readonly stops: { reason?: string; timeoutMs?: number }[] = [];
  /** Caps of components running here: a link from a source not listed is not checked. */
  readonly caps = new Map<string, string[]>();
  #labels: Record<string, string> = { 'hostcore.os': 'linux', zone: 'a' };
  readonly logger = {
    info: (obj: unknown, msg?: string) => void this.logged.push({ level: 'info', obj, msg }),
    warn: (obj: unknown, msg?: string) => void this.logged.push({ level: 'warn', obj, msg }),
    error: (obj: unknown, msg?: string) => void this.logged.push({ level: 'error', obj, msg }),
  } as unknown as CtlContext['logger'];

  get labels(): Record<string, string> {
    return { ...this.#labels };
  }
  publish(type: string, data: Record<string, unknown>): void {
    this.events.push({ type, data });
  }
  setLabel(key: string, value: string): void {
    this.#labels[key] = value;
  }
  deleteLabel(key: string): boolean {
    if (!(key in this.#labels)) return false;
    delete this.#labels[key];
    return true;
  }
  checkLinkAllowed(link: Link): void {
    const caps = this.caps.get(link.source_id);
    if (caps && !caps.includes(`${link.wit_namespace}:${link.wit_package}`))
      throw new HostError(HostErrorCode.Refused, `component "${link.source_id}" may not use that package`);
  }
  info(): HostInfo {
    return {
      id: this.id,
      friendly_name: 'fake-host',
      labels: this.labels,
      lattice: this.lattice,
      version: '0.0.0',
      uptime_seconds: 1,
      uptime_human: '1s',
    };
  }
  inventory(): HostInventory {
    return {
      components: [],
      providers: [],
      host_id: this.id,
      friendly_name: 'fake-host',
      labels: this.labels,
      version: '0.0.0',
      uptime_human: '1s',
      uptime_seconds: 1,
    };
  }
  stop(opts: { reason?: string; timeoutMs?: number }): Promise<void> {
    this.stops.push(opts);
    return Promise.resolve();
  }
}

/** JSON bytes of a request body. */
export const body = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

/** Runs `handler` as the ctl server does (a thrown coded error becomes the reply). */
export function call(
  ctx: CtlContext,
  handler: CtlHandler,
  data: unknown = '',
  arg?: string,
): Promise<CtlResponse | undefined> {
  return runCtlHandler(ctx, handler, { subject: 'unit-test', data: body(data), arg });
}

/** The code a failed reply's message starts with (`[HOST_NOT_FOUND] …` → `HOST_NOT_FOUND`). */
export function codeOf(res: CtlResponse | undefined): string | undefined {
  if (!res || res.success) return undefined;
  return /^\[([A-Z]+_[A-Z_]+)\]/.exec(res.message)?.[1];
}
