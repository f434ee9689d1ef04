import { createUser } from '@nats-io/nkeys';
import { describe, expect, it } from 'vitest';
import { LatticeErrorCode } from '../../lattice/index.ts';
import { EventRecorder, NatsServer, latticeFor, startTestHost, testCtl } from '../helpers/index.ts';
import { connectNats, CtlClient } from '../../lattice/index.ts';

describe('credentials', () => {
  it('credentials - a host connects with an nkey to a server that requires it; without it fails clearly', async () => {
    const user = createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    await using ns = await NatsServer.start({ authorizedNkeys: [user.getPublicKey()] });
    const lattice = latticeFor('creds');
    const err = (await startTestHost(ns.url, { lattice }).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; hint: string } | undefined;
    expect(err).toMatchObject({ code: LatticeErrorCode.Connect });
    expect(err?.hint).toMatch(/credentials/);
    await expect(testCtl(ns.url, lattice)).rejects.toMatchObject({ code: LatticeErrorCode.Connect });

    const host = await startTestHost(ns.url, { lattice, nats: { url: ns.url, seed }, rpcNats: { url: ns.url, seed } });
    const nc = await connectNats({ url: ns.url, seed });
    const ctl = new CtlClient(nc, { lattice });
    const rec = await EventRecorder.start(nc, lattice);
    expect((await ctl.getHosts()).map((h) => h.id)).toEqual([host.id]);
    await host.stop();
    const stopped = await rec.waitFor('host_stopped');
    // no secret in any event
    expect(JSON.stringify(rec.events)).not.toContain(seed);
    expect(JSON.stringify(stopped)).not.toContain(seed);
    rec.stop();
    await nc.close();
  });
});
