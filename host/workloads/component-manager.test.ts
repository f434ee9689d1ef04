import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScaleComponentCommand } from '../../lattice/index.ts';
import { captureLogger } from '../../test/helpers/unit.ts';
import { ComponentManager, STATEFUL_ANNOTATION } from './component-manager.ts';
import type { LoadedArtifact, RuntimePort } from './runtime-port.ts';

// components as file:// refs: a component preamble (enough for the kind check; the fake runtime never runs them)
const dir = mkdtempSync(join(tmpdir(), 'weft-cm-'));
const ref = (name: string) => `file://${join(dir, `${name}.wasm`)}`;
beforeAll(() => {
  const component = Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
  writeFileSync(join(dir, 'v1.wasm'), component);
  writeFileSync(join(dir, 'v2.wasm'), Uint8Array.from([...component, 2]));
  writeFileSync(join(dir, 'core.wasm'), Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A runtime that records what the manager asks of it (lattice calls "served in the workers": no NATS). */
function fakeRuntime() {
  const log: string[] = [];
  const rt: RuntimePort = {
    servesLattice: true,
    load: (bytes) => Promise.resolve({ digest: `d${bytes.length}` } satisfies LoadedArtifact),
    start: (id, l, o) => (
      log.push(`start ${id} ${l.digest} max=${o.maxInstances} stateful=${o.stateful}`),
      Promise.resolve()
    ),
    setMaxInstances: (id, n) => void log.push(`max ${id} ${n}`),
    update: (id, l) => (log.push(`update ${id} ${l.digest}`), Promise.resolve()),
    invoke: () => Promise.resolve(undefined),
    serve: (id) => (log.push(`serve ${id}`), Promise.resolve()),
    unserve: (id) => (log.push(`unserve ${id}`), Promise.resolve()),
    stop: (id) => (log.push(`stop ${id}`), Promise.resolve()),
    close: () => Promise.resolve(),
  };
  return { rt, log };
}

function manager(maxComponents = 10) {
  const { rt, log } = fakeRuntime();
  const events: [string, Record<string, unknown>][] = [];
  const m = new ComponentManager(
    { lattice: 'default', hostId: 'H', maxComponentSizeBytes: 1 << 20, maxComponents, allowFileLoad: true },
    {
      nc: undefined as never,
      runtime: rt,
      verifier: { verify: () => Promise.resolve({}) },
      publish: (type, data) => void events.push([type, data]),
      logger: captureLogger().logger,
    },
  );
  const scale = (o: Partial<ScaleComponentCommand>) =>
    m.scale({ component_id: 'c', component_ref: ref('v1'), count: 1, host_id: 'H', ...o });
  const last = () => {
    const [type, d] = events.at(-1) ?? ['', {}];
    return { type, max: d['max_instances'], ref: d['image_ref'], error: d['error'] };
  };
  return { m, log, events, scale, last };
}

describe('ComponentManager scale decisions', () => {
  it('a new id starts (load, start with count and stateful annotation, serve) and is listed', async () => {
    const t = manager();
    await t.scale({ count: 3, annotations: { [STATEFUL_ANNOTATION]: 'true' }, config: ['cfg'] });
    expect(t.log).toEqual(['start c d8 max=3 stateful=true', 'serve c']);
    expect(t.last()).toEqual({ type: 'component_scaled', max: 3, ref: ref('v1'), error: undefined });
    expect(t.m.list()).toMatchObject([
      { id: 'c', image_ref: ref('v1'), max_instances: 3, revision: 0, config: ['cfg'] },
    ]);
    expect(t.m.configOf('c')).toEqual(['cfg']);
  });

  it('the same ref again only changes the instance count and merges the annotations', async () => {
    const t = manager();
    await t.scale({ annotations: { a: '1' } });
    await t.scale({ count: 5, annotations: { b: '2' } });
    expect(t.log).toEqual(['start c d8 max=1 stateful=false', 'serve c', 'max c 5']);
    expect(t.m.list()[0]).toMatchObject({ max_instances: 5, annotations: { a: '1', b: '2' } });
  });

  it('another ref is refused without allow_update; with it the component is updated in place (revision 1)', async () => {
    const t = manager();
    await t.scale({});
    await t.scale({ component_ref: ref('v2'), count: 2 });
    expect(t.last()).toMatchObject({ type: 'component_scale_failed', error: expect.stringContaining('already runs') });
    await t.scale({ component_ref: ref('v2'), count: 2, allow_update: true });
    expect(t.log.slice(2)).toEqual(['update c d9', 'max c 2']);
    expect(t.m.list()[0]).toMatchObject({ image_ref: ref('v2'), revision: 1, max_instances: 2 });
  });

  it('count 0 stops (unserve before stop) and reports 0; for an id not running it only reports 0', async () => {
    const t = manager();
    await t.scale({});
    await t.scale({ count: 0 });
    expect(t.log.slice(2)).toEqual(['unserve c', 'stop c']);
    expect(t.last()).toMatchObject({ type: 'component_scaled', max: 0 });
    expect(t.m.has('c')).toBe(false);
    await t.scale({ component_id: 'never', count: 0 });
    expect(t.log).toHaveLength(4);
    expect(t.last()).toMatchObject({ type: 'component_scaled', max: 0 });
  });

  it('refusals are component_scale_failed events: --max-components, a core module, a missing file', async () => {
    const t = manager(1);
    await t.scale({});
    await t.scale({ component_id: 'second' });
    expect(t.last().error).toMatch(/--max-components limit/);
    const u = manager();
    await u.scale({ component_ref: ref('core') });
    expect(u.last().error).toMatch(/is a core Wasm module, not a component/);
    await u.scale({ component_ref: ref('gone') });
    expect(u.last().error).toMatch(/does not exist/);
    expect(u.log).toEqual([]);
  });

  it('commands on one id run in order: a scale to 0 sent right after a start stops what the start ran', async () => {
    const t = manager();
    await Promise.all([t.scale({ count: 2 }), t.scale({ count: 0 })]);
    expect(t.log).toEqual(['start c d8 max=2 stateful=false', 'serve c', 'unserve c', 'stop c']);
    expect(t.m.has('c')).toBe(false);
  });

  it('update of an id not running, and invoke of one, are refused naming it', async () => {
    const t = manager();
    await t.m.update({ component_id: 'x', new_component_ref: ref('v2'), host_id: 'H' });
    expect(t.last()).toMatchObject({
      type: 'component_scale_failed',
      error: expect.stringContaining('"x" is not running'),
    });
    await expect(t.m.invoke('x', 'run', [])).rejects.toMatchObject({ code: 'HOST_NOT_FOUND' });
  });
});
