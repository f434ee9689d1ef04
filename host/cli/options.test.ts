import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyContext, collect, natsOptionsOf, parseKeyValues, requireIds, withLattice } from './options.ts';
import type { LatticeCliOptions } from './options.ts';

const ENV = ['WEFT_NATS_URL', 'WEFT_LATTICE', 'WEFT_NATS_CREDS', 'WEFT_TLS_CA', 'WEFT_HOME', 'WEFT_CONTEXT'];
let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  for (const k of ENV) delete process.env[k];
  process.env['WEFT_HOME'] = mkdtempSync(join(tmpdir(), 'weft-options-')); // no contexts, no local seed
});
afterEach(() => {
  rmSync(process.env['WEFT_HOME']!, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

/** Parses `argv` against a command made by `withLattice`, returning its options after the context is applied. */
function parsed(argv: string[]): LatticeCliOptions {
  let got: LatticeCliOptions | undefined;
  const cmd = withLattice(new Command('t').exitOverride()).action((o: LatticeCliOptions) => {
    got = o;
  });
  cmd.parse(argv, { from: 'user' });
  applyContext(got as unknown as Record<string, unknown>);
  return got!;
}

describe('cli options', () => {
  it('collect - repeatable and comma-separated, empty items dropped', () => {
    const cmd = new Command('t').exitOverride().option('--config <n>', '', collect, []);
    cmd.parse(['--config', 'a,b', '--config', 'c', '--config', ',,'], { from: 'user' });
    expect(cmd.opts()['config']).toEqual(['a', 'b', 'c']);
    expect(
      new Command('u').option('--config <n>', '', collect, []).parse([], { from: 'user' }).opts()['config'],
    ).toEqual([]);
  });

  it('parseKeyValues - KEY=VALUE items, the value may hold "="; no "=" or an empty key is CLI_USAGE', () => {
    expect(parseKeyValues(['a=1', 'url=http://x/?q=1', 'empty='])).toEqual({ a: '1', url: 'http://x/?q=1', empty: '' });
    for (const bad of ['novalue', '=v'])
      expect(() => parseKeyValues([bad], 'e.g. --constraint zone=eu')).toThrow(
        expect.objectContaining({ code: 'CLI_USAGE', hint: 'e.g. --constraint zone=eu' }) as Error,
      );
  });

  it('requireIds - names the argument and the rule; lists and undefined are fine', () => {
    expect(() => requireIds({ '<id>': 'adder', '--config': ['a', 'b'], '--x': undefined })).not.toThrow();
    expect(() => requireIds({ '<id>': 'a.b' })).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }) as Error);
    expect(() => requireIds({ '--config': ['ok', 'no*'] })).toThrow(/--config/);
  });

  it('withLattice - defaults without a context: local NATS, lattice default, 2 s, text output', () => {
    expect(parsed([])).toMatchObject({
      natsUrl: 'nats://127.0.0.1:4222',
      lattice: 'default',
      timeoutMs: 2000,
      output: 'text',
    });
  });

  it('withLattice - flags win over WEFT_* env vars, which win over the defaults; -o json and --timeout-ms parse', () => {
    process.env['WEFT_NATS_URL'] = 'nats://env:4222';
    process.env['WEFT_LATTICE'] = 'envlat';
    expect(parsed([])).toMatchObject({ natsUrl: 'nats://env:4222', lattice: 'envlat' });
    expect(parsed(['--lattice', 'flag', '-o', 'json', '--timeout-ms', '150'])).toMatchObject({
      natsUrl: 'nats://env:4222',
      lattice: 'flag',
      output: 'json',
      timeoutMs: 150,
    });
  });

  it('withLattice - an output format other than text or json is refused', () => {
    expect(() => parsed(['-o', 'yaml'])).toThrow(/Allowed choices are text, json/);
  });

  it('natsOptionsOf - explicit credentials are passed through and named weft-cli', () => {
    const o = { ...parsed([]), natsCreds: '/c.creds', tlsCa: '/ca.pem' };
    expect(natsOptionsOf(o)).toMatchObject({
      url: 'nats://127.0.0.1:4222',
      credsFile: '/c.creds',
      tlsCaFile: '/ca.pem',
      name: 'weft-cli',
    });
    expect(natsOptionsOf({ ...o, natsCreds: undefined, natsJwt: 'jwt', natsSeed: 'SU' })).toMatchObject({
      jwt: 'jwt',
      seed: 'SU',
    });
  });

  it('applyContext - leaves commands without lattice options alone', () => {
    const o: Record<string, unknown> = { output: 'text' };
    applyContext(o);
    expect(o).toEqual({ output: 'text' });
  });
});
