import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError, CliErrorCode } from './errors.ts';
import { emit, formatLabels, printJson, renderTable } from './output.ts';

let out: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  out = [];
});
const captureStdout = () =>
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0);

describe('cli output', () => {
  it('renderTable - columns padded to the widest cell, the last one not padded, no trailing spaces', () => {
    const t = renderTable(
      ['ID', 'NAME'],
      [
        ['a', 'x'],
        ['longer-id', ''],
      ],
    ).split('\n');
    expect(t).toEqual(['ID         NAME', 'a          x', 'longer-id']);
  });

  it('printJson - BigInt as text, bytes as UTF-8 text or base64, Buffer JSON too', () => {
    captureStdout();
    printJson({ n: 2n ** 64n, text: new TextEncoder().encode('héllo'), bin: new Uint8Array([0xff, 0x00]) });
    const v = JSON.parse(out.join('')) as Record<string, string>;
    expect(v).toEqual({ n: '18446744073709551616', text: 'héllo', bin: 'base64:/wA=' });
    out = [];
    printJson({ b: Buffer.from('ok') });
    expect(JSON.parse(out.join(''))).toEqual({ b: 'ok' });
  });

  it('emit - JSON with -o json, else the text printer', () => {
    captureStdout();
    let texts = 0;
    emit('json', { a: 1 }, () => void texts++);
    emit('text', { a: 1 }, () => void texts++);
    expect(JSON.parse(out.join(''))).toEqual({ a: 1 });
    expect(texts).toBe(1);
  });

  it('formatLabels - k=v,k=v in insertion order; CliError carries its code and hint', () => {
    expect(formatLabels({ zone: 'a', tier: 'gold' })).toBe('zone=a,tier=gold');
    expect(formatLabels({})).toBe('');
    expect(new CliError(CliErrorCode.NotRunning, 'no host', 'run weft up')).toMatchObject({
      code: 'CLI_NOT_RUNNING',
      message: '[CLI_NOT_RUNNING] no host',
      hint: 'run weft up',
    });
  });
});
