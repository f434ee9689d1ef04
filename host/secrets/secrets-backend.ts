/**
 * `weft secrets serve`: the built-in secrets backend. Answers wasmCloud's protocol on `{topic}.v1alpha1.{backend}`
 * (`server_xkey`, `get`) and weft's management subjects (`put_secret`, `list_secrets`, `delete_secret`). Values live
 * in the JetStream KV bucket `weft_secrets_{backend}`, each version sealed by the backend's xkey to itself; a `get`
 * is released only to an entity the secret's allow rules name, and a denial is logged with who asked, never a value.
 */
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import { headers } from '@nats-io/transport-node';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { dropBadInput, RateLimitedLog } from '../../lattice/index.ts';
import {
  decodeSecretRequest,
  HOST_XKEY_HEADER,
  openFrom,
  RESPONSE_XKEY_HEADER,
  sealTo,
  secretsSubject,
} from '../../lattice/secrets/index.ts';
import type { SecretResponse, XKeyPair } from '../../lattice/secrets/index.ts';
import type { Logger } from '../logger.ts';
import { authorize, decodeRecord, XKEY_MARKER } from './secret-records.ts';
import type { SecretRecord } from './secret-records.ts';
import { handleManagement } from './secrets-admin.ts';

export interface SecretsBackendOptions {
  nc: NatsConnection;
  topic: string;
  backend: string;
  /** The backend's xkey: requests are sealed to it, values at rest sealed by it. */
  xkey: XKeyPair;
  logger: Logger;
  replicas?: number;
}

export class SecretsBackend {
  readonly #o: SecretsBackendOptions;
  readonly #kv: KV;
  readonly #sub: Subscription;
  readonly #denied: RateLimitedLog;

  private constructor(o: SecretsBackendOptions, kv: KV) {
    this.#o = o;
    this.#kv = kv;
    this.#denied = new RateLimitedLog(o.logger, { intervalMs: 10_000 });
    // one backend answers each request (any instance sharing the xkey can)
    this.#sub = o.nc.subscribe(secretsSubject.all(o.topic, o.backend), {
      queue: `weft-secrets.${o.backend}`,
      callback: (err, msg) => {
        if (!err) void this.#handle(msg);
      },
    });
  }

  /** Opens (or creates) the bucket, checks it is sealed with this xkey, and starts answering. */
  static async start(o: SecretsBackendOptions): Promise<SecretsBackend> {
    const kv = await new Kvm(jetstream(o.nc)).create(`weft_secrets_${o.backend}`, {
      history: 1,
      replicas: o.replicas ?? 1,
    });
    const pub = o.xkey.getPublicKey();
    const marker = await kv.get(XKEY_MARKER);
    if (!marker || marker.operation !== 'PUT' || !marker.length) await kv.put(XKEY_MARKER, pub);
    else if (marker.string() !== pub)
      throw new Error(
        `[SECRET_BAD_REFERENCE] the bucket weft_secrets_${o.backend} is sealed with another xkey (${marker.string().slice(0, 12)}…): start this backend with that key's seed (WEFT_SECRETS_XKEY_SEED or its seed file), or give it another --backend name`,
      );
    const b = new SecretsBackend(o, kv);
    await o.nc.flush();
    o.logger.info({ topic: o.topic, backend: o.backend, xkey: pub }, 'secrets backend serving');
    return b;
  }

  get publicXkey(): string {
    return this.#o.xkey.getPublicKey();
  }

  async stop(): Promise<void> {
    await this.#sub.drain().catch(() => this.#sub.unsubscribe());
  }

  /** The record of `name`, or undefined (a corrupt entry is dropped with a warning). */
  async record(name: string): Promise<{ record?: SecretRecord; revision: number }> {
    const e = await this.#kv.get(name);
    if (!e || e.operation !== 'PUT' || !e.length) return { revision: e?.revision ?? 0 };
    const record = decodeRecord(e.value);
    if (!record)
      dropBadInput(`weft_secrets_${this.#o.backend} entries`, new Error('not a secret record'), {
        key: name.slice(0, 128),
      });
    return { record, revision: e.revision };
  }

  get kv(): KV {
    return this.#kv;
  }
  get xkey(): XKeyPair {
    return this.#o.xkey;
  }
  get logger(): Logger {
    return this.#o.logger;
  }

  async #handle(msg: Msg): Promise<void> {
    const op = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    try {
      if (op === 'server_xkey') return void msg.respond(this.publicXkey);
      if (op === 'get') return await this.#get(msg);
      const reply = await handleManagement(this, op, msg);
      msg.respond(JSON.stringify(reply));
    } catch (err) {
      dropBadInput(msg.subject, err);
      if (msg.reply)
        msg.respond(JSON.stringify({ error: op === 'get' ? 'InvalidRequest' : { Other: (err as Error).message } }));
    }
  }

  /** wasmCloud's `get`: open, check, find the version, seal the response to the requester. */
  async #get(msg: Msg): Promise<void> {
    const fail = (error: SecretResponse['error']): void => void msg.respond(JSON.stringify({ error }));
    const requester = msg.headers?.get(HOST_XKEY_HEADER);
    if (!requester) return fail('InvalidHeaders');
    let plain: Uint8Array;
    try {
      plain = openFrom(this.#o.xkey, msg.data, requester);
    } catch {
      return fail('DecryptionError');
    }
    const req = decodeSecretRequest(plain);
    const { record } = await this.record(req.key);
    if (!record) return fail('SecretNotFound');
    const verdict = authorize(record, req);
    if (!verdict.ok) {
      this.#denied.warn(
        `${req.key}|${verdict.who.subject ?? ''}|${verdict.who.entity_id ?? ''}`,
        { secret: req.key, ...verdict.who, reason: verdict.reason },
        'secret request denied',
      );
      return fail('Unauthorized');
    }
    const v = req.version
      ? record.versions.find((x) => x.version === req.version)
      : record.versions[record.versions.length - 1];
    if (!v) return fail('SecretNotFound');
    let value = openFrom(this.#o.xkey, Buffer.from(v.sealed, 'base64'), this.publicXkey);
    let kind = v.kind;
    if (req.field !== undefined) {
      // a field of a JSON object secret (wasmCloud's `field`)
      let obj: unknown;
      try {
        obj = JSON.parse(new TextDecoder().decode(value));
      } catch {
        obj = undefined;
      }
      const f = obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[req.field] : undefined;
      if (typeof f !== 'string') return fail('SecretNotFound');
      value = new TextEncoder().encode(f);
      kind = 'string';
    }
    const secret =
      kind === 'string'
        ? { version: v.version, string_secret: new TextDecoder().decode(value) }
        : { version: v.version, binary_secret: [...value] };
    const h = headers();
    h.set(RESPONSE_XKEY_HEADER, this.publicXkey);
    msg.respond(sealTo(this.#o.xkey, JSON.stringify({ secret }), requester), { headers: h });
    this.#o.logger.debug(
      { secret: req.key, version: v.version, entity_id: verdict.who.entity_id, subject: verdict.who.subject },
      'secret released',
    );
  }
}
