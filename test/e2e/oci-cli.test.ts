/** `weft reg login`, `weft push` and `weft pull` with OCI refs against a real docker-registry with Basic auth. */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/fixtures.ts';
import { runCli, spawnCli, waitForOutput } from '../helpers/cli.ts';
import { assertScaleComponent, latticeFor, NatsServer, scaleAndWait, testCtl } from '../helpers/index.ts';
import { OciClient, pushWasm } from '../../lattice/oci/index.ts';
import { REGISTRY_TEST_PASSWORD, REGISTRY_TEST_USER, startRegistry } from '../helpers/registry.ts';
import type { RunningRegistry } from '../helpers/registry.ts';

let reg: RunningRegistry;
let dir: string;
beforeAll(async () => {
  reg = await startRegistry({ auth: 'basic' });
  dir = await mkdtemp(join(tmpdir(), 'weft-oci-cli-'));
});
afterAll(async () => {
  await reg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('weft push/pull with an OCI registry', () => {
  it('refuses without login, stores checked credentials 0600 with reg login, then pushes and pulls by digest', async () => {
    const env = { WEFT_HOME: join(dir, 'home'), DOCKER_CONFIG: join(dir, 'no-docker') };
    const ref = `${reg.host}/weft/adder:0.1.0`;
    const denied = await runCli(['push', fixture('adder.component.wasm'), ref], env);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/OCI_UNAUTHORIZED/);
    expect(denied.stderr).toContain(`weft reg login ${reg.host}`);

    const wrong = await runCli(['reg', 'login', reg.host, '-u', REGISTRY_TEST_USER, '-p', 'not-it'], env);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/OCI_UNAUTHORIZED/);
    await expect(stat(join(dir, 'home', 'registries.json'))).rejects.toThrow();

    const login = await runCli(
      ['reg', 'login', reg.host, '-u', REGISTRY_TEST_USER, '-p', REGISTRY_TEST_PASSWORD, '-o', 'json'],
      env,
    );
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ success: true, registry: reg.host, verified: true });
    expect(login.stdout + login.stderr).not.toContain(REGISTRY_TEST_PASSWORD);
    expect((await stat(join(dir, 'home', 'registries.json'))).mode & 0o777).toBe(0o600);

    const push = await runCli(['push', fixture('adder.component.wasm'), ref, '-o', 'json'], env);
    expect(push.code, push.stderr).toBe(0);
    const pushed = JSON.parse(push.stdout) as { digest: string; ref: string };
    expect(pushed.ref).toBe(`${ref}@${pushed.digest}`);

    const out = join(dir, 'pulled.wasm');
    const pull = await runCli(['pull', `${reg.host}/weft/adder@${pushed.digest}`, out, '-o', 'json'], env);
    expect(pull.code, pull.stderr).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ digest: pushed.digest, layerMediaType: 'application/wasm' });
    expect((await readFile(out)).equals(await readFile(fixture('adder.component.wasm')))).toBe(true);

    const list = await runCli(['reg', 'list', '-o', 'json'], env);
    expect(JSON.parse(list.stdout)).toEqual({ success: true, registries: [{ registry: reg.host, kind: 'basic' }] });
  });

  it("uses Docker's config.json auths when weft has none", async () => {
    const dockerDir = join(dir, 'docker');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dockerDir, { recursive: true });
    const auth = Buffer.from(`${REGISTRY_TEST_USER}:${REGISTRY_TEST_PASSWORD}`).toString('base64');
    await writeFile(
      join(dockerDir, 'config.json'),
      JSON.stringify({ auths: { [`http://${reg.host}/v2/`]: { auth } } }),
    );
    const env = { WEFT_HOME: join(dir, 'home2'), DOCKER_CONFIG: dockerDir };
    const push = await runCli(
      ['push', fixture('adder.component.wasm'), `${reg.host}/weft/from-docker:1`, '-o', 'json'],
      env,
    );
    expect(push.code, push.stderr).toBe(0);
    expect(JSON.parse(push.stdout)).toMatchObject({
      success: true,
      size: (await readFile(fixture('adder.component.wasm'))).length,
    });
  });
});

describe("Docker's credential helpers (docker-credential-NAME get)", () => {
  it('credHelpers for one registry, else credsStore, are asked with the server on stdin; a helper without an answer is passed over', async () => {
    const bin = join(dir, 'helper-bin');
    const { mkdir, chmod } = await import('node:fs/promises');
    await mkdir(bin, { recursive: true });
    const asked = join(dir, 'helper-asked');
    // a tiny fake helper: knows only the test registry, logs what it was asked
    const script = (name: string) =>
      `#!/bin/sh\nread server\necho "${name} $1 $server" >> ${asked}\n` +
      `if [ "$server" = "${reg.host}" ]; then printf '{"ServerURL":"%s","Username":"${REGISTRY_TEST_USER}","Secret":"${REGISTRY_TEST_PASSWORD}"}' "$server"; ` +
      `else echo "credentials not found in native keychain"; exit 1; fi\n`;
    for (const name of ['weftstore', 'weftone']) {
      await writeFile(join(bin, `docker-credential-${name}`), script(name));
      await chmod(join(bin, `docker-credential-${name}`), 0o755);
    }
    const PATH = `${bin}:${process.env['PATH'] ?? ''}`;
    const push = async (config: unknown, tag: string) => {
      const dockerDir = join(dir, `docker-${tag}`);
      await mkdir(dockerDir, { recursive: true });
      await writeFile(join(dockerDir, 'config.json'), JSON.stringify(config));
      const env = { WEFT_HOME: join(dir, `home-${tag}`), DOCKER_CONFIG: dockerDir, PATH };
      return runCli(['push', fixture('adder.component.wasm'), `${reg.host}/weft/helper:${tag}`, '-o', 'json'], env);
    };
    const viaStore = await push({ auths: { [reg.host]: {} }, credsStore: 'weftstore' }, 'store');
    expect(viaStore.code, viaStore.stderr).toBe(0);
    expect(JSON.parse(viaStore.stdout)).toMatchObject({ success: true });
    // credHelpers wins over credsStore for its registry
    const viaOne = await push({ credsStore: 'nosuchhelper', credHelpers: { [reg.host]: 'weftone' } }, 'one');
    expect(viaOne.code, viaOne.stderr).toBe(0);
    const log = await readFile(asked, 'utf8');
    expect(log).toContain(`weftstore get ${reg.host}`);
    expect(log).toContain(`weftone get ${reg.host}`);
    // a helper that has nothing for the registry: no credentials, the registry refuses
    const none = await push({ credHelpers: { [reg.host]: 'nosuchhelper' } }, 'none');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/OCI_UNAUTHORIZED/);
    expect(none.stdout + none.stderr + viaStore.stderr).not.toContain(REGISTRY_TEST_PASSWORD);
  });
});

describe('weft pull --registry-mirror', () => {
  it('pulls a ghcr.io ref from the mirror, reports it as written, and prints no progress with -o json', async () => {
    const env = { WEFT_HOME: join(dir, 'home-mirror'), DOCKER_CONFIG: join(dir, 'no-docker') };
    await pushWasm(
      new OciClient({ credentials: () => ({ username: REGISTRY_TEST_USER, password: REGISTRY_TEST_PASSWORD }) }),
      `${reg.host}/wasmcloud/components/adder:0.1.0`,
      await readFile(fixture('adder.component.wasm')),
    );
    expect(
      (await runCli(['reg', 'login', reg.host, '-u', REGISTRY_TEST_USER, '-p', REGISTRY_TEST_PASSWORD], env)).code,
    ).toBe(0);
    const out = join(dir, 'mirrored.wasm');
    const ref = 'ghcr.io/wasmcloud/components/adder:0.1.0';
    const pull = await runCli(['pull', ref, out, '--registry-mirror', `ghcr.io=${reg.host}`, '-o', 'json'], env);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stderr).toBe('');
    const res = JSON.parse(pull.stdout) as { ref: string; digest: string; mirror: string };
    expect(res).toMatchObject({ ref: `${ref}@${res.digest}`, mirror: reg.host });
    expect((await readFile(out)).equals(await readFile(fixture('adder.component.wasm')))).toBe(true);
    const bad = await runCli(['pull', ref, out, '--registry-mirror', 'ghcr.io'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/registry mirror "ghcr.io" is not REGISTRY=MIRROR/);
  });
});

describe('weft up pulls from a private registry', () => {
  it("with weft reg login's file, or WEFT_REGISTRY/_USER/_PASSWORD; without them the scale gets OCI_UNAUTHORIZED", async () => {
    await using ns = await NatsServer.start();
    const ref = `${reg.host}/weft/up-private:1`;
    await pushWasm(
      new OciClient({ credentials: () => ({ username: REGISTRY_TEST_USER, password: REGISTRY_TEST_PASSWORD }) }),
      ref,
      await readFile(fixture('adder.component.wasm')),
    );
    const fileHome = join(dir, 'up-file');
    expect(
      (
        await runCli(['reg', 'login', reg.host, '-u', REGISTRY_TEST_USER, '-p', REGISTRY_TEST_PASSWORD], {
          WEFT_HOME: fileHome,
          DOCKER_CONFIG: join(dir, 'no-docker'),
        })
      ).code,
    ).toBe(0);
    const cases: [string, Record<string, string>, boolean][] = [
      ['none', { WEFT_HOME: join(dir, 'up-none') }, false],
      ['file', { WEFT_HOME: fileHome }, true],
      [
        'env',
        {
          WEFT_HOME: join(dir, 'up-env'),
          WEFT_REGISTRY: reg.host,
          WEFT_REGISTRY_USER: REGISTRY_TEST_USER,
          WEFT_REGISTRY_PASSWORD: REGISTRY_TEST_PASSWORD,
        },
        true,
      ],
    ];
    for (const [name, env, works] of cases) {
      const lattice = latticeFor(`upreg_${name}`);
      const child = spawnCli(
        ['up', '--nats-url', ns.url, '--lattice', lattice, '--allow-unsigned', '--no-controller', '-o', 'json'],
        { ...env, DOCKER_CONFIG: join(dir, 'no-docker') },
      );
      try {
        const hostId = (JSON.parse(await waitForOutput(child, (o) => o.includes('"host_id"'))) as { host_id: string })
          .host_id;
        await using ctl = await testCtl(ns.url, lattice);
        const cmd = { host_id: hostId, component_ref: ref, component_id: `up-${name}`, count: 1 };
        if (works) {
          await assertScaleComponent(ctl, cmd);
        } else {
          const e = await scaleAndWait(ctl, cmd);
          expect(e.type).toMatch(/component_scale_failed$/);
          expect(String(e.data['error'])).toMatch(/OCI_UNAUTHORIZED.*up-private:1/);
        }
      } finally {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});

describe('weft up --registry-mirror, --oci-pull-policy, --cache-dir', () => {
  it("a ghcr.io ref runs from the mirror with the mirror's credentials; the OCI cache is {cache dir}/oci", async () => {
    await using ns = await NatsServer.start();
    const ref = 'ghcr.io/wasmcloud/components/up-mirrored:0.1.0';
    await pushWasm(
      new OciClient({ credentials: () => ({ username: REGISTRY_TEST_USER, password: REGISTRY_TEST_PASSWORD }) }),
      ref.replace('ghcr.io', reg.host),
      await readFile(fixture('adder.component.wasm')),
    );
    const lattice = latticeFor('upmirror');
    const cacheDir = join(dir, 'up-cache');
    const child = spawnCli(
      [
        'up',
        '--nats-url',
        ns.url,
        '--lattice',
        lattice,
        '--allow-unsigned',
        '--no-controller',
        '-o',
        'json',
        '--registry-mirror',
        `ghcr.io=${reg.host}`,
        '--oci-pull-policy',
        'if-not-present',
        '--cache-dir',
        cacheDir,
      ],
      {
        WEFT_HOME: join(dir, 'up-mirror'),
        DOCKER_CONFIG: join(dir, 'no-docker'),
        WEFT_REGISTRY: reg.host,
        WEFT_REGISTRY_USER: REGISTRY_TEST_USER,
        WEFT_REGISTRY_PASSWORD: REGISTRY_TEST_PASSWORD,
      },
    );
    try {
      const hostId = (JSON.parse(await waitForOutput(child, (o) => o.includes('"host_id"'))) as { host_id: string })
        .host_id;
      await using ctl = await testCtl(ns.url, lattice);
      await assertScaleComponent(ctl, { host_id: hostId, component_ref: ref, component_id: 'mirrored', count: 1 });
      const inv = await ctl.getHostInventory(hostId);
      expect(inv.components.find((c) => c.id === 'mirrored')).toMatchObject({
        image_ref: ref,
        image_digest: expect.stringMatching(/^sha256:/),
      });
      const { readdir } = await import('node:fs/promises');
      expect(await readdir(join(cacheDir, 'oci', 'tags'))).toHaveLength(1);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    const bad = await runCli(['up', '--nats-url', ns.url, '--registry-mirror', 'nonsense'], {
      WEFT_HOME: join(dir, 'up-bad'),
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/registry mirror "nonsense" is not REGISTRY=MIRROR/);
  });
});
