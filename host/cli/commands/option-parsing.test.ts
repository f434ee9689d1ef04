import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildCloudEvent } from '../../../lattice/index.ts';
import { parseCallArgs } from './call.ts';
import { registerComponentCommands } from './component.ts';
import { formatEvent, registerEventsCommand } from './events.ts';
import { parseLabelPairs } from './label.ts';
import { registerLinkCommand } from './link.ts';
import { registerProviderCommands } from './provider.ts';

/**
 * The option mapping of real command definitions: the leaf's action is replaced by one that records what commander
 * hands it (arguments, then the options object), so nothing connects.
 */
function capture(register: (p: Command) => void, argv: string[]): unknown[] {
  const program = new Command('weft').exitOverride();
  register(program);
  let leaf = program;
  for (const word of argv) {
    const next = leaf.commands.find((c) => c.name() === word);
    if (!next) break;
    leaf = next;
  }
  let got: unknown[] = [];
  leaf.exitOverride().action((...args: unknown[]) => {
    got = args.slice(0, -1); // the last one is the command itself
  });
  program.parse(argv, { from: 'user' });
  return got;
}

const lifecycle = (p: Command): void => {
  const [start, stop, scale, update] = ['start', 'stop', 'scale', 'update'].map((n) => p.command(n)) as [
    Command,
    Command,
    Command,
    Command,
  ];
  registerComponentCommands(start, stop, scale, update);
  registerProviderCommands(start, stop);
};

describe('command option parsing', () => {
  it('scale component - --max defaults to 100, --config and --annotation repeat, --allow-update is a flag', () => {
    const [host, ref, id, o] = capture(lifecycle, [
      'scale',
      'component',
      'NHOST',
      'file:///a.wasm',
      'adder',
      '--config',
      'a,b',
      '--config',
      'c',
      '--annotation',
      'team=x',
      '--allow-update',
    ]);
    expect([host, ref, id]).toEqual(['NHOST', 'file:///a.wasm', 'adder']);
    expect(o).toMatchObject({ max: 100, config: ['a', 'b', 'c'], annotation: ['team=x'], allowUpdate: true });
    expect(o).toMatchObject({ waitTimeoutMs: 60_000, timeoutMs: 2000, output: 'text' });
  });

  it('scale component - --max and its hidden alias --count parse as numbers', () => {
    expect(capture(lifecycle, ['scale', 'component', 'H', 'r', 'i', '-c', '7'])[3]).toMatchObject({ max: 7 });
    expect(capture(lifecycle, ['scale', 'component', 'H', 'r', 'i', '--count', '3'])[3]).toMatchObject({ count: 3 });
  });

  it('start provider - --config and --constraint repeat', () => {
    const [ref, id, o] = capture(lifecycle, [
      'start',
      'provider',
      'weft+builtin://http-server',
      'http',
      '--constraint',
      'zone=eu',
      '--constraint',
      'tier=gold',
      '--config',
      'http-cfg',
    ]);
    expect([ref, id]).toEqual(['weft+builtin://http-server', 'http']);
    expect(o).toMatchObject({ constraint: ['zone=eu', 'tier=gold'], config: ['http-cfg'] });
  });

  it('link put - --interface repeats; configs repeat; the link name defaults to "default"', () => {
    const args = capture(registerLinkCommand, [
      'link',
      'put',
      'web',
      'kv',
      'wasi',
      'keyvalue',
      '--interface',
      'store,atomics',
      '--target-config',
      'kv-cfg',
    ]);
    expect(args.slice(0, 4)).toEqual(['web', 'kv', 'wasi', 'keyvalue']);
    expect(args[4]).toMatchObject({
      interface: ['store', 'atomics'],
      sourceConfig: [],
      targetConfig: ['kv-cfg'],
      linkName: 'default',
    });
    // without --interface the list is empty (the action refuses it with CLI_USAGE before connecting)
    expect(capture(registerLinkCommand, ['link', 'put', 'web', 'kv', 'wasi', 'keyvalue'])[4]).toMatchObject({
      interface: [],
    });
  });

  it('get events - --type repeats, --count and --for are numbers', () => {
    const get = (p: Command) => registerEventsCommand(p.command('get'));
    const [o] = capture(get, ['get', 'events', '--type', 'component_scaled', '--type', 'a,b', '--count', '5']);
    expect(o).toMatchObject({ type: ['component_scaled', 'a', 'b'], count: 5 });
  });

  it('call args - each is one JSON value, a bare word a string', () => {
    expect(parseCallArgs(['1', '"x"', 'bare', '{"a":[1]}', 'true', '[1,'])).toEqual([
      1,
      'x',
      'bare',
      { a: [1] },
      true,
      '[1,',
    ]);
  });

  it('label pairs - k=v lists, bare keys for delete, a missing "=" is CLI_USAGE when values are needed', () => {
    expect(parseLabelPairs('zone=eu, tier=gold,,', true)).toEqual([
      ['zone', 'eu'],
      [' tier'.trim(), 'gold'],
    ]);
    expect(parseLabelPairs('zone,tier', false)).toEqual([
      ['zone', ''],
      ['tier', ''],
    ]);
    expect(() => parseLabelPairs('zone', true)).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }) as Error);
  });

  it('formatEvent - time, type without the prefix, source, and the key fields only', () => {
    const e = buildCloudEvent('component_scaled', 'NHOSTXXXXXXXXXXXXX', {
      component_id: 'adder',
      max_instances: 2,
      secret: 'no',
    });
    const line = formatEvent(e);
    expect(line).toContain('component_scaled');
    expect(line).toContain('component_id=adder max_instances=2');
    expect(line).not.toContain('secret');
    expect(line).not.toContain('com.wasmcloud.lattice.');
  });
});
