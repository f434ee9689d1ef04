/**
 * The raw NATS request/reply baseline's responder, run in its own process (`node test/bench/nats-echo.ts URL SUBJECT`):
 * echoes every request's payload and prints `ready` once subscribed. Killed by the bench when done.
 */
import { connectNats } from '../../lattice/index.ts';

const [url, subject] = process.argv.slice(2);
if (!url || !subject) throw new Error('usage: nats-echo.ts URL SUBJECT');
const nc = await connectNats({ url });
nc.subscribe(subject, { callback: (_e, m) => void m.respond(m.data) });
await nc.flush();
process.stdout.write('ready\n');
