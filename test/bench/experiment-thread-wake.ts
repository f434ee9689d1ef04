/**
 * Experiment (not part of `npm run bench`): what one hand-off between the main thread and a worker costs, by
 * mechanism, as round trips (p50 µs). The lattice relay makes two of these per call; the numbers bound how close
 * to raw NATS request/reply a relayed call can get.
 *
 *   node test/bench/experiment-thread-wake.ts
 *
 * Measured on the 2-core test machine (2026-11-30): postMessage 49-50 µs, Atomics.waitAsync 47-54 µs, Unix socket
 * 53-69 µs, and 2.4-12 µs only when the main thread spins for the answer while the worker sleeps in Atomics.wait:
 * a thread sleeping in its event loop takes ~25 µs to see a message, whatever carries it.
 */
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MessageChannel,
  Worker,
  isMainThread,
  parentPort,
  receiveMessageOnPort,
  workerData,
} from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

const N = 10_000;
type Mode = 'post' | 'waitAsync' | 'socket' | 'futex';

async function rounds(send: (i: number) => Promise<void>): Promise<string> {
  const t = new Float64Array(N);
  for (let i = 0; i < 200; i++) await send(i);
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await send(i);
    t[i] = (performance.now() - t0) * 1000;
  }
  t.sort();
  return `p50 ${(t[N / 2] ?? 0).toFixed(1)} µs, p90 ${(t[Math.floor(N * 0.9)] ?? 0).toFixed(1)} µs`;
}

async function main(): Promise<void> {
  const keep = setInterval(() => undefined, 1000); // Atomics.waitAsync alone does not keep the loop alive
  const start = (mode: Mode, extra: Record<string, unknown> = {}, transferList: MessagePort[] = []): Worker =>
    new Worker(new URL(import.meta.url), { workerData: { mode, ...extra }, transferList });
  // 1. postMessage both ways
  let w = start('post');
  await new Promise((r) => w.once('message', r));
  console.log(
    'postMessage, both ways:              ',
    await rounds(
      (i) =>
        new Promise((r) => {
          w.once('message', r);
          w.postMessage(i);
        }),
    ),
  );
  await w.terminate();
  // 2. shared memory, both sides on Atomics.waitAsync
  const a = new Int32Array(new SharedArrayBuffer(8));
  w = start('waitAsync', { sab: a.buffer });
  await new Promise((r) => w.once('message', r));
  console.log(
    'Atomics.waitAsync, both ways:        ',
    await rounds(async (i) => {
      Atomics.store(a, 0, i + 1);
      Atomics.notify(a, 0);
      while (Atomics.load(a, 1) !== i + 1) {
        const r = Atomics.waitAsync(a, 1, Atomics.load(a, 1));
        if (r.async) await r.value;
      }
    }),
  );
  await w.terminate();
  // 3. a Unix socket between the threads
  const path = join(tmpdir(), `weft-wake-${process.pid}.sock`);
  const conn = new Promise<net.Socket>((r) => net.createServer(r).listen(path));
  w = start('socket', { path });
  const c = await conn;
  console.log(
    'Unix socket, both ways:              ',
    await rounds(
      (i) =>
        new Promise((r) => {
          c.once('data', r);
          c.write(String(i % 10));
        }),
    ),
  );
  await w.terminate();
  c.destroy();
  // 4. worker sleeps in Atomics.wait, main spins on the port for the answer
  const ch = new MessageChannel();
  const bell = new Int32Array(new SharedArrayBuffer(4));
  w = start('futex', { sab: bell.buffer, port: ch.port2 }, [ch.port2]);
  await new Promise((r) => setTimeout(r, 100));
  console.log(
    'futex to worker, main spins for it:  ',
    await rounds(async (i) => {
      w.postMessage(i);
      Atomics.add(bell, 0, 1);
      Atomics.notify(bell, 0);
      while (!receiveMessageOnPort(ch.port1));
    }),
  );
  await w.terminate();
  clearInterval(keep);
  process.exit(0);
}

function serve(d: { mode: Mode; sab?: SharedArrayBuffer; path?: string; port?: MessagePort }): void {
  const port = parentPort;
  if (!port) return;
  if (d.mode === 'post') {
    port.on('message', (m) => port.postMessage(m));
    port.postMessage('ready');
  } else if (d.mode === 'waitAsync' && d.sab) {
    const a = new Int32Array(d.sab);
    setInterval(() => undefined, 1000);
    port.postMessage('ready');
    void (async () => {
      for (let seen = 0; ;) {
        const r = Atomics.waitAsync(a, 0, seen);
        if (r.async) await r.value;
        seen = Atomics.load(a, 0);
        Atomics.store(a, 1, seen);
        Atomics.notify(a, 1);
      }
    })();
  } else if (d.mode === 'socket' && d.path) {
    const s = net.connect(d.path);
    s.on('data', (b) => s.write(b));
  } else if (d.mode === 'futex' && d.sab && d.port) {
    const bell = new Int32Array(d.sab);
    const out = d.port;
    for (let seen = 0; ;) {
      Atomics.wait(bell, 0, seen, 50);
      seen = Atomics.load(bell, 0);
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) out.postMessage(m.message);
    }
  }
}

if (isMainThread) await main();
else serve(workerData as Parameters<typeof serve>[0]);
