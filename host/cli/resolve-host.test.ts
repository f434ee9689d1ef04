import { describe, expect, it } from 'vitest';
import type { CtlClient, HostInfo } from '../../lattice/index.ts';
import { resolveHost, soleHost } from './resolve-host.ts';

const host = (id: string, friendly_name: string) => ({ id, friendly_name }) as HostInfo;
const ctlWith = (hosts: HostInfo[]) =>
  ({ lattice: 'unit', getHosts: () => Promise.resolve(hosts) }) as unknown as CtlClient;
const two = ctlWith([host('NABC111', 'red-fox-1'), host('NABD222', 'blue-owl-2')]);

describe('resolve host', () => {
  it('by id, friendly name or a unique id prefix', async () => {
    expect((await resolveHost(two, 'NABC111')).id).toBe('NABC111');
    expect((await resolveHost(two, 'blue-owl-2')).id).toBe('NABD222');
    expect((await resolveHost(two, 'NABD')).id).toBe('NABD222');
  });

  it('an ambiguous prefix or no match is CLI_USAGE with a hint', async () => {
    await expect(resolveHost(two, 'NAB')).rejects.toMatchObject({
      code: 'CLI_USAGE',
      hint: 'give more of the host id',
    });
    await expect(resolveHost(two, 'zzz')).rejects.toMatchObject({ code: 'CLI_USAGE' });
    await expect(resolveHost(ctlWith([]), 'zzz')).rejects.toMatchObject({
      hint: expect.stringContaining('weft up') as unknown,
    });
  });

  it('soleHost - the only host; none or several is CLI_USAGE', async () => {
    expect((await soleHost(ctlWith([host('N1', 'a')]))).id).toBe('N1');
    await expect(soleHost(two)).rejects.toMatchObject({ code: 'CLI_USAGE' });
    await expect(soleHost(ctlWith([]))).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });
});
