import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { toLatticeError } from '../request-errors.ts';
import { wadmSubject } from '../subjects.ts';
import { parseJson } from '../types/limits.ts';
import type { AppStatusType, AppSummary } from './api.ts';

/** A wadm API reply: `result` says how it went, `message` why; the other fields depend on the operation. */
export type WadmReply = Record<string, unknown> & { result: string; message: string };

/** `model.put`: the version stored. */
export interface PutReply extends WadmReply {
  name: string;
  current_version: string;
  total_versions: number;
}

/** `model.status`. */
export interface StatusReply extends WadmReply {
  status: { version: string; status: { type: AppStatusType; message: string } };
}

/** Options of {@link WadmClient}. */
export interface WadmClientOptions {
  /** @default 'default' */
  lattice?: string;
  /** @default 5000 */
  timeoutMs?: number;
}

/**
 * Client of the wadm model API (`wadm.api.{lattice}.model.{op}[.{name}]`) as weft's controller serves it
 * (host/controller/api.ts, wadm's shapes). Every method throws {@link LatticeError}: LAT_NO_RESPONDERS when no
 * controller answers, LAT_TIMEOUT, LAT_NOT_FOUND for an unknown application, LAT_REFUSED for any other result
 * (the message is the controller's), LAT_BAD_PAYLOAD for a reply that is not a wadm reply.
 */
export class WadmClient {
  readonly #nc: NatsConnection;
  readonly lattice: string;
  readonly #timeout: number;

  constructor(nc: NatsConnection, opts: WadmClientOptions = {}) {
    this.#nc = nc;
    this.lattice = opts.lattice ?? 'default';
    this.#timeout = opts.timeoutMs ?? 5000;
  }

  /** Stores a new version of a manifest (YAML or JSON text). */
  async put(manifest: string): Promise<PutReply> {
    return (await this.#req('put', undefined, manifest, ['created', 'newversion'])) as PutReply;
  }
  /** A stored manifest: the latest version, or `version`. */
  async get(name: string, version?: string): Promise<WadmReply & { manifest: unknown }> {
    return (await this.#req('get', name, versionBody(version), ['success'])) as WadmReply & { manifest: unknown };
  }
  /** Every application with its latest and deployed version and status. */
  async list(): Promise<AppSummary[]> {
    const r = await this.#req('list', undefined, '', ['success']);
    return Array.isArray(r['models']) ? (r['models'] as AppSummary[]) : [];
  }
  /** The stored versions of an application. */
  async versions(
    name: string,
  ): Promise<WadmReply & { versions: { version: string; deployed: boolean; created_at: string }[] }> {
    const r = await this.#req('versions', name, '', ['success']);
    return { ...r, versions: Array.isArray(r['versions']) ? r['versions'] : [] } as WadmReply & {
      versions: { version: string; deployed: boolean; created_at: string }[];
    };
  }
  /** Deploys the latest version, or `version`. Accepted-but-async: follow with {@link WadmClient.status}. */
  async deploy(name: string, version?: string): Promise<WadmReply> {
    return this.#req('deploy', name, versionBody(version), ['acknowledged']);
  }
  /** Undeploys (its components, providers and links are removed). Accepted-but-async. */
  async undeploy(name: string): Promise<WadmReply> {
    return this.#req('undeploy', name, '', ['acknowledged']);
  }
  /** Deletes an application and all its versions; an unknown name is a `noop` result, not an error. */
  async delete(name: string): Promise<WadmReply> {
    return this.#req('del', name, '', ['deleted', 'noop']);
  }
  async status(name: string): Promise<StatusReply> {
    return (await this.#req('status', name, '', ['ok'])) as StatusReply;
  }

  /**
   * Calls `onChange` with the application's name whenever a controller publishes its status
   * (`wadm.status.{lattice}.{app}`); the payload is not trusted nor passed on: read it with {@link WadmClient.status}.
   * An error thrown by `onChange` is the caller's to catch. Stop with `sub.unsubscribe()`.
   */
  subscribeStatus(onChange: (app: string) => void): Subscription {
    const prefix = wadmSubject.status(this.lattice, '*').slice(0, -1);
    return this.#nc.subscribe(wadmSubject.status(this.lattice, '*'), {
      callback: (_e, m) => onChange(m.subject.slice(prefix.length, prefix.length + 200)),
    });
  }

  async #req(op: string, name: string | undefined, body: string, ok: string[]): Promise<WadmReply> {
    const subject = wadmSubject.api(this.lattice, op, name);
    let data: Uint8Array;
    try {
      data = (await this.#nc.request(subject, body, { timeout: this.#timeout })).data;
    } catch (err) {
      const e = await toLatticeError(err, subject);
      if (e.code !== LatticeErrorCode.NoResponders) throw e;
      throw new LatticeError(LatticeErrorCode.NoResponders, `no controller answered on the wadm API (${subject})`, {
        cause: err,
        hint: 'start one with `weft up` (it runs a controller) or `weft controller`',
      });
    }
    const r = parseJson(data, `wadm reply on ${subject}`) as Partial<WadmReply> | null;
    if (typeof r !== 'object' || r === null || Array.isArray(r) || typeof r.result !== 'string')
      throw new LatticeError(
        LatticeErrorCode.BadPayload,
        `the reply on ${subject} is not a wadm reply ({result, message})`,
      );
    const reply = { ...r, message: typeof r.message === 'string' ? r.message : '' } as WadmReply;
    if (ok.includes(reply.result)) return reply;
    if (reply.result === 'notfound')
      throw new LatticeError(LatticeErrorCode.NotFound, reply.message || `application "${name ?? ''}" not found`, {
        hint: 'list applications with `weft app list`',
      });
    throw new LatticeError(LatticeErrorCode.Refused, reply.message || `wadm ${op}: ${reply.result}`);
  }
}

const versionBody = (version: string | undefined): string => (version ? JSON.stringify({ version }) : '');
