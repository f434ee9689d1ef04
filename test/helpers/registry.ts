/**
 * A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on a free 127.0.0.1 port with a temp
 * storage dir. `auth: 'none'` is anonymous; `'basic'` puts htpasswd Basic auth in front (user `weft`, the password in
 * `REGISTRY_TEST_PASSWORD`); `'token'` makes the registry answer with a Bearer challenge whose realm is a small token
 * server run here, which checks the same Basic credentials and signs ES256 JWTs with a fresh self-signed certificate
 * (made with the `openssl` CLI) that the registry trusts through `rootcertbundle`. `await using reg = await startRegistry()`.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../lattice/index.ts';
import { check } from './wait.ts';

/** The test user's name and password; `REGISTRY_TEST_HTPASSWD` is its bcrypt hash (precomputed, cost 5). */
export const REGISTRY_TEST_USER = 'weft';
export const REGISTRY_TEST_PASSWORD = 'weft-registry-test';
const REGISTRY_TEST_HTPASSWD = 'weft:$2y$05$Qm9vc3QtV2VmdC1SZWdpcuzMo8WHns4oeMNMoWS0N8Lv28yDmXoze';
const SERVICE = 'weft-test-registry';
const ISSUER = 'weft-test-token-issuer';

export interface RegistryOptions {
  /** @default 'none' */
  auth?: 'none' | 'basic' | 'token';
  /** Token auth only: whether a request without credentials gets a pull-only token. @default false */
  anonymousPull?: boolean;
}

/** One request the token server answered. */
export interface TokenRequest {
  service: string | null;
  scopes: string[];
  /** The user of the Basic credentials given, `null` when anonymous, `'!bad'` when they were wrong. */
  user: string | null;
}

export interface RunningRegistry {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `127.0.0.1:PORT`, the registry part of a reference. */
  host: string;
  port: number;
  storageDir: string;
  /** Requests the token server got (token auth only), oldest first. */
  tokenRequests: TokenRequest[];
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Finds `docker-registry` on `DOCKER_REGISTRY_BIN`, `/usr/bin` or `/usr/local/bin`. */
export function findRegistryBin(): string {
  const bin = [process.env['DOCKER_REGISTRY_BIN'], '/usr/bin/docker-registry', '/usr/local/bin/docker-registry'].find(
    (b) => b && existsSync(b),
  );
  if (!bin)
    throw new Error('docker-registry not found: apt-get install -y docker-registry (or set DOCKER_REGISTRY_BIN)');
  return bin;
}

/** Starts a registry and waits until `/v2/` answers (200, or 401 with auth). */
export async function startRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  const bin = findRegistryBin();
  const auth = opts.auth ?? 'none';
  const dir = await mkdtemp(join(tmpdir(), 'weft-registry-'));
  const port = await freePort();
  const tokenRequests: TokenRequest[] = [];
  let tokenServer: Server | undefined;
  const authLines: string[] = [];
  if (auth === 'basic') {
    await writeFile(join(dir, 'htpasswd'), `${REGISTRY_TEST_HTPASSWD}\n`);
    authLines.push('auth:', '  htpasswd:', '    realm: weft-test', `    path: ${join(dir, 'htpasswd')}`);
  } else if (auth === 'token') {
    const signer = await makeSigner(dir);
    const tokenPort = await freePort();
    tokenServer = createServer((req, res) => serveToken(req, res, signer, opts.anonymousPull ?? false, tokenRequests));
    await new Promise<void>((r) => tokenServer!.listen(tokenPort, '127.0.0.1', r));
    authLines.push(
      'auth:',
      '  token:',
      `    realm: http://127.0.0.1:${tokenPort}/token`,
      `    service: ${SERVICE}`,
      `    issuer: ${ISSUER}`,
      `    rootcertbundle: ${join(dir, 'token.crt')}`,
    );
  }
  const storageDir = join(dir, 'storage');
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storageDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    ...authLines,
    '',
  ].join('\n');
  const configFile = join(dir, 'config.yml');
  await writeFile(configFile, config);
  // A clean environment: REGISTRY_* variables would override the config file.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
  const child = spawn(bin, ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) =>
        child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r),
      );
    }
    if (tokenServer) await new Promise((r) => tokenServer!.close(r));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await check(async () => {
      if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr}`);
      const res = await fetch(`${url}/v2/`);
      await res.arrayBuffer();
      return res.status === 200 || res.status === 401;
    }, 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, host: `127.0.0.1:${port}`, port, storageDir, tokenRequests, stop, [Symbol.asyncDispose]: stop };
}

interface Signer {
  keyPem: string;
  certDer: Buffer;
}

/** A P-256 key and a self-signed certificate for it (`openssl req -x509`), the cert written to `dir/token.crt`. */
async function makeSigner(dir: string): Promise<Signer> {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=weft-test-token',
  ];
  try {
    await promisify(execFile)('openssl', [...args, '-keyout', keyFile, '-out', certFile]);
  } catch (err) {
    throw new Error(`token auth needs the openssl CLI (apt-get install -y openssl): ${String(err)}`);
  }
  const keyPem = await readFile(keyFile, 'utf8');
  const certDer = Buffer.from(new X509Certificate(await readFile(certFile)).raw);
  return { keyPem, certDer };
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** An ES256 JWT as distribution's token auth expects it: `x5c` chain in the header, `access` claims in the body. */
function signToken(s: Signer, sub: string, access: { type: string; name: string; actions: string[] }[]): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'ES256', x5c: [s.certDer.toString('base64')] };
  const claims = {
    iss: ISSUER,
    sub,
    aud: SERVICE,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomBytes(8).toString('hex'),
    access,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = sign('sha256', Buffer.from(input), { key: createPrivateKey(s.keyPem), dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(sig)}`;
}

function basicUser(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Basic\s+(.+)$/i.exec(h);
  if (!m) return '!bad';
  const [user, ...rest] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':');
  const given = createHash('sha256').update(rest.join(':')).digest('hex');
  const want = createHash('sha256').update(REGISTRY_TEST_PASSWORD).digest('hex');
  return user === REGISTRY_TEST_USER && given === want ? user : '!bad';
}

/** `GET /token?service=…&scope=repository:NAME:pull,push`: grants what was asked to the test user, pull to anonymous if allowed. */
function serveToken(
  req: IncomingMessage,
  res: ServerResponse,
  s: Signer,
  anonymousPull: boolean,
  log: TokenRequest[],
): void {
  const u = new URL(req.url ?? '/', 'http://token');
  const scopes = u.searchParams
    .getAll('scope')
    .flatMap((x) => x.split(' '))
    .filter(Boolean);
  const user = basicUser(req);
  log.push({ service: u.searchParams.get('service'), scopes, user });
  if (u.pathname !== '/token' || user === '!bad' || (user === null && !anonymousPull)) {
    res
      .writeHead(401, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
    return;
  }
  const access = scopes.flatMap((scope) => {
    const [type, ...mid] = scope.split(':');
    const actions = (mid.pop() ?? '').split(',').filter((a) => user !== null || a === 'pull');
    return type && mid.length > 0 ? [{ type, name: mid.join(':'), actions }] : [];
  });
  const token = signToken(s, user ?? '', access);
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
}

/** A forwarding proxy in front of a registry that records each request, e.g. to count pulls or tell hosts apart. */
export interface RegistryProxy {
  /** `127.0.0.1:PORT`, usable as a registry (or a mirror) in refs. */
  host: string;
  /** `METHOD /path` of every request, oldest first. */
  requests: string[];
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a {@link RegistryProxy} that forwards every request to `target` as it is. */
export async function startRegistryProxy(target: RunningRegistry): Promise<RegistryProxy> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const up = request(
      { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return {
    host: `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
    requests,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
