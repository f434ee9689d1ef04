import { PassThrough } from 'node:stream';
import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { hostDataOf } from '../../test/helpers/unit.ts';
import { encodeHostData } from '../../lattice/index.ts';
import type { HostData } from '../../lattice/index.ts';
import { processContext, stderrLog } from './provider-process.ts';
import { ProcessLinkSecrets } from './provider-secrets.ts';
import { readHostData } from './stdin-host-data.ts';

const VALUE = 'planted-hostdata-secret-0c4e';
const hd: HostData = hostDataOf({
  host_id: 'H',
  lattice_rpc_prefix: 'l',
  provider_key: 'kv',
  config: { URL: 'redis://x' },
});
const nc = {} as NatsConnection; // processContext only hands it on

/** HostData as a provider process reads it from stdin. */
async function read(d: HostData | string): Promise<HostData> {
  const input = new PassThrough();
  const got = readHostData(() => undefined, input);
  input.write(typeof d === 'string' ? d : encodeHostData(d));
  return got;
}

describe('processContext - the HostData secrets of a provider process', () => {
  it('its own secrets (HostData secrets) reach init as ctx.secrets, beside its config', async () => {
    const secrets = { password: { tag: 'string', val: VALUE }, cert: { tag: 'bytes', val: Uint8Array.of(1, 2) } };
    const d = await read({ ...hd, secrets } as HostData);
    const ctx = processContext(d, nc, stderrLog('kv'), new ProcessLinkSecrets(d), []);
    expect(ctx.secrets).toEqual(secrets);
    expect(ctx.config).toEqual({ URL: 'redis://x' });
  });

  it('none sent: ctx.secrets is empty', async () => {
    const d = await read(hd);
    expect(processContext(d, nc, stderrLog('kv'), new ProcessLinkSecrets(d), []).secrets).toEqual({});
  });

  it('hostile - a HostData line whose secrets are malformed is refused without quoting them', async () => {
    const line = Buffer.from(JSON.stringify({ ...hd, secrets: { password: { String: VALUE } } })).toString('base64');
    const err = await read(line + '\r\n').catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'LAT_BAD_PAYLOAD' });
    expect((err as Error).message).toMatch(/"secrets": secret "password"/);
    expect((err as Error).message).not.toContain(VALUE);
  });
});
