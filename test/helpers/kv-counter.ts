/** The KV counter behind HTTP, as several tests deploy it (the actor and the providers are started by the test). */
import { freePort } from '../../lattice/index.ts';
import type { CtlClient } from '../../lattice/index.ts';
import { linkOf } from './links.ts';
import { check } from './wait.ts';

/**
 * Links the running `counter` (the kv-counter actor) to http-server `http` on a free port (config `h`) and to the
 * keyvalue provider `kvId` (store, atomics).
 * @returns the port, and `get()`: `GET /counter/n` once it answers, as `"STATUS BODY"` (`"200 1"`).
 */
export async function linkKvCounter(
  ctl: CtlClient,
  kvId: string,
): Promise<{ port: number; get: () => Promise<string> }> {
  const port = await freePort();
  await ctl.putConfig('h', { address: `127.0.0.1:${port}` });
  await ctl.putLink(linkOf('http', 'counter', 'wasi:http', ['incoming-handler'], { source_config: ['h'] }));
  await ctl.putLink(linkOf('counter', kvId, 'wasi:keyvalue', ['store', 'atomics']));
  const get = async (): Promise<string> => {
    const r = await check(() => fetch(`http://127.0.0.1:${port}/counter/n`).catch(() => undefined), 10_000);
    return `${r.status} ${(await r.text()).trim()}`;
  };
  return { port, get };
}
