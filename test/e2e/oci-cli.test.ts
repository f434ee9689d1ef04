/** `weft reg login`, `weft push` and `weft pull` with OCI refs against a real docker-registry with Basic auth. */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/fixtures.ts';
import { runCli } from '../helpers/cli.ts';
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

    const login = await runCli(['reg', 'login', reg.host, '-u', REGISTRY_TEST_USER, '-p', REGISTRY_TEST_PASSWORD, '-o', 'json'], env);
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
    await writeFile(join(dockerDir, 'config.json'), JSON.stringify({ auths: { [`http://${reg.host}/v2/`]: { auth } } }));
    const env = { WEFT_HOME: join(dir, 'home2'), DOCKER_CONFIG: dockerDir };
    const push = await runCli(['push', fixture('adder.component.wasm'), `${reg.host}/weft/from-docker:1`, '-o', 'json'], env);
    expect(push.code, push.stderr).toBe(0);
    expect(JSON.parse(push.stdout)).toMatchObject({ success: true, size: (await readFile(fixture('adder.component.wasm'))).length });
  });
});
