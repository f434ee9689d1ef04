/**
 * The host's client of secrets backends (wasmCloud `secrets-client`): learns each backend's public xkey from
 * `….server_xkey` once, then seals every `get` with a fresh xkey of its own (header `WasmCloud-Host-Xkey`) and opens
 * the response sealed back to it (header `Server-Response-Xkey`; without it the reply is an unsealed error).
 */
import { headers } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { secretsSubject } from '../subjects.ts';
import { decodeSecretResponse, secretErrorText } from './decode-secrets.ts';
import { SecretsError, SecretsErrorCode } from './errors.ts';
import { HOST_XKEY_HEADER, RESPONSE_XKEY_HEADER } from './types.ts';
import type { GetSecretError, SecretRequest, SecretResponse, SecretValue } from './types.ts';
import { isXkeyPublic, newXkey, openFrom, sealTo } from './xkeys.ts';

export interface SecretsClientOptions {
  /** The secrets topic prefix (`--secrets-topic`). */
  topic: string;
  /** Per request. @default 2000 */
  timeoutMs?: number;
}

/** A fetched secret: its value and the version the backend returned. */
export type FetchedSecret = SecretValue & { version: string };

const unreachable = (backend: string, topic: string, err: unknown): SecretsError =>
  new SecretsError(
    SecretsErrorCode.Unreachable,
    `secrets backend "${backend}" on topic ${topic} did not answer (${(err as Error).message}); start it (\`weft secrets serve\`, or \`weft up\` without --no-secrets) or check --secrets-topic`,
    { cause: err },
  );

function backendError(e: GetSecretError, key: string, backend: string): SecretsError {
  const variant = typeof e === 'string' ? e : (Object.keys(e)[0] ?? '');
  const code =
    variant === 'Unauthorized'
      ? SecretsErrorCode.Denied
      : variant === 'SecretNotFound'
        ? SecretsErrorCode.NotFound
        : SecretsErrorCode.Backend;
  return new SecretsError(code, `secret "${key}" from backend "${backend}": ${secretErrorText(e)}`);
}

export class SecretsClient {
  readonly #nc: NatsConnection;
  readonly #o: SecretsClientOptions;
  readonly #serverKeys = new Map<string, Promise<string>>();

  constructor(nc: NatsConnection, opts: SecretsClientOptions) {
    this.#nc = nc;
    this.#o = opts;
  }

  get topic(): string {
    return this.#o.topic;
  }

  /** The backend's public xkey (cached; asked again after a failure). */
  serverXkey(backend: string): Promise<string> {
    let p = this.#serverKeys.get(backend);
    if (!p) {
      p = (async () => {
        let text: string;
        try {
          const m = await this.#nc.request(secretsSubject.serverXkey(this.#o.topic, backend), new Uint8Array(0), {
            timeout: this.#o.timeoutMs ?? 2000,
          });
          text = new TextDecoder().decode(m.data).trim();
        } catch (err) {
          throw unreachable(backend, this.#o.topic, err);
        }
        if (!isXkeyPublic(text))
          throw new SecretsError(
            SecretsErrorCode.BadResponse,
            `backend "${backend}" sent a server xkey that is not an X… key`,
          );
        return text;
      })();
      this.#serverKeys.set(backend, p);
      p.catch(() => this.#serverKeys.delete(backend));
    }
    return p;
  }

  /** Fetches one secret. @throws {SecretsError} coded: unreachable, denied, not found, bad response. */
  async get(backend: string, request: SecretRequest): Promise<FetchedSecret> {
    const server = await this.serverXkey(backend);
    const mine = newXkey();
    const h = headers();
    h.set(HOST_XKEY_HEADER, mine.getPublicKey());
    let reply;
    try {
      reply = await this.#nc.request(
        secretsSubject.get(this.#o.topic, backend),
        sealTo(mine, JSON.stringify(request), server),
        { timeout: this.#o.timeoutMs ?? 2000, headers: h },
      );
    } catch (err) {
      this.#serverKeys.delete(backend); // a restarted backend may have a new key
      throw unreachable(backend, this.#o.topic, err);
    }
    const sender = reply.headers?.get(RESPONSE_XKEY_HEADER);
    let res: SecretResponse;
    try {
      res = decodeSecretResponse(sender ? openFrom(mine, reply.data, sender) : reply.data);
    } catch (err) {
      if (!sender) this.#serverKeys.delete(backend); // e.g. DecryptionError after the backend changed its key
      throw new SecretsError(
        SecretsErrorCode.BadResponse,
        `backend "${backend}" answered secret "${request.key}" with a reply that does not ${sender ? 'open or decode' : 'decode'} (${(err as Error).message})`,
      );
    }
    if (res.error !== undefined) {
      if (!sender) this.#serverKeys.delete(backend);
      throw backendError(res.error, request.key, backend);
    }
    if (!sender)
      throw new SecretsError(
        SecretsErrorCode.BadResponse,
        `backend "${backend}" sent secret "${request.key}" unsealed: refused`,
      );
    const s = res.secret!;
    return s.binary_secret !== undefined
      ? { tag: 'bytes', val: Uint8Array.from(s.binary_secret), version: s.version }
      : { tag: 'string', val: s.string_secret ?? '', version: s.version };
  }
}
