import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hostDataOf } from '../../test/helpers/unit.ts';
import { encodeHostData } from '../../lattice/index.ts';
import type { HostData } from '../../lattice/index.ts';
import { readHostData } from './stdin-host-data.ts';

const hd: HostData = hostDataOf({ host_id: 'H', lattice_rpc_prefix: 'l', provider_key: 'kv' });

describe('readHostData (stdin of a provider process)', () => {
  it('the first line is HostData; stdin closing afterwards means the host is gone', async () => {
    const input = new PassThrough();
    let gone = 0;
    const read = readHostData(() => gone++, input);
    input.write(encodeHostData(hd));
    expect(await read).toEqual(hd);
    expect(gone).toBe(0);
    input.end();
    await new Promise((r) => setImmediate(r));
    expect(gone).toBe(1);
  });

  it('hostile - a malformed first line rejects with LAT_BAD_PAYLOAD; no line at all says who starts providers', async () => {
    const bad = new PassThrough();
    const r1 = readHostData(() => undefined, bad);
    bad.write('garbage!\n');
    await expect(r1).rejects.toMatchObject({ code: 'LAT_BAD_PAYLOAD' });
    const empty = new PassThrough();
    const r2 = readHostData(() => undefined, empty);
    empty.end();
    await expect(r2).rejects.toThrow(/started by a weft host/);
  });
});
