import { describe, expect, it } from 'vitest';
import { buildCloudEvent, EventType } from '../../lattice/index.ts';
import type { CloudEvent, HostInfo, HostInventory } from '../../lattice/index.ts';
import type { ObserverCtl } from './observer.ts';
import { LatticeObserver } from './observer.ts';

const inv = (id: string, labels: Record<string, string> = {}): HostInventory => ({
  host_id: id,
  friendly_name: id,
  labels,
  version: '0',
  uptime_human: '1s',
  uptime_seconds: 1,
  components: [],
  providers: [],
});

/** A lattice of fake hosts: `inventories` answer host.get; `emit` delivers an event as the CtlClient would. */
class FakeLattice implements ObserverCtl {
  readonly inventories = new Map<string, HostInventory>();
  #onEvent: ((e: CloudEvent) => void | Promise<void>) | undefined;
  asked: string[] = [];
  subscribeEvents(fn: (e: CloudEvent) => void | Promise<void>): never[] {
    this.#onEvent = fn;
    return [];
  }
  getHosts(): Promise<HostInfo[]> {
    return Promise.resolve([...this.inventories.keys()].map((id) => ({ id }) as HostInfo));
  }
  getHostInventory(id: string): Promise<HostInventory> {
    this.asked.push(id);
    const i = this.inventories.get(id);
    return i ? Promise.resolve(i) : Promise.reject(new Error('no such host'));
  }
  async emit(type: string, source: string, data: Record<string, unknown>): Promise<void> {
    await this.#onEvent?.(buildCloudEvent(type, source, data));
  }
}

describe('lattice observer', () => {
  it('start - learns every host that answers ping, with its inventory', async () => {
    const l = new FakeLattice();
    l.inventories.set('N1', inv('N1', { zone: 'a' }));
    l.inventories.set('N2', inv('N2'));
    const o = new LatticeObserver(l, 60_000);
    await o.start(() => undefined);
    expect((await o.hosts()).map((h) => [h.id, h.labels])).toEqual([
      ['N1', { zone: 'a' }],
      ['N2', {}],
    ]);
  });

  it('events - host_started and labels_changed refresh the host; host_stopped drops it; onChange follows', async () => {
    const l = new FakeLattice();
    let changes = 0;
    const o = new LatticeObserver(l, 60_000);
    await o.start(() => void changes++);
    l.inventories.set('N1', inv('N1'));
    await l.emit(EventType.HostStarted, 'N1', {});
    l.inventories.set('N1', inv('N1', { tier: 'gold' }));
    await l.emit(EventType.LabelsChanged, 'N1', { labels: {} });
    expect((await o.hosts())[0]?.labels).toEqual({ tier: 'gold' });
    await l.emit(EventType.HostStopped, 'N1', {});
    expect(await o.hosts()).toEqual([]);
    expect(changes).toBe(3);
  });

  it('component_scale_failed is remembered per component until it scales', async () => {
    const l = new FakeLattice();
    const o = new LatticeObserver(l, 60_000);
    await o.start(() => undefined);
    await l.emit(EventType.ComponentScaleFailed, 'N1', { component_id: 'web', error: 'no such file' });
    expect(o.failures.get('web')).toBe('no such file');
    await l.emit(EventType.ComponentScaled, 'N1', { component_id: 'web' });
    expect(o.failures.has('web')).toBe(false);
  });

  it('hosts - an overdue host is probed once: kept when it answers, dropped when it does not', async () => {
    const l = new FakeLattice();
    l.inventories.set('N1', inv('N1'));
    l.inventories.set('N2', inv('N2'));
    const probe = new FakeLattice();
    probe.inventories.set('N1', inv('N1', { alive: 'yes' }));
    const o = new LatticeObserver(l, -1, probe); // every host is overdue at once
    await o.start(() => undefined);
    expect((await o.hosts()).map((h) => [h.id, h.labels])).toEqual([['N1', { alive: 'yes' }]]);
    expect(probe.asked.sort()).toEqual(['N1', 'N2']);
  });

  it('a heartbeat is taken only from the host it describes', async () => {
    const l = new FakeLattice();
    const o = new LatticeObserver(l, 60_000);
    await o.start(() => undefined);
    const { host_id: _h, ...beat } = inv('N9', { forged: 'x' });
    await l.emit(EventType.HostHeartbeat, 'N1', { ...beat, host_id: 'N9' });
    expect((await o.hosts()).some((h) => h.labels['forged'])).toBe(false);
    await l.emit(EventType.HostHeartbeat, 'N9', { ...beat, host_id: 'N9' });
    expect((await o.hosts()).map((h) => h.id)).toEqual(['N9']);
  });
});
