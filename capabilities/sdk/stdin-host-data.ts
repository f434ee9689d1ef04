import { createInterface } from 'node:readline';
import { decodeHostData } from '../../lattice/index.ts';
import type { HostData } from '../../lattice/index.ts';

/**
 * Reads HostData, the first line on stdin (validated: see `lattice/provider/host-data.ts`). The host keeps stdin open
 * while it lives: `onHostGone` runs when it closes, which is how a provider learns that its host died (even by
 * kill -9) instead of running on orphaned.
 */
export function readHostData(onHostGone: () => void, input: NodeJS.ReadableStream = process.stdin): Promise<HostData> {
  const rl = createInterface({ input });
  return new Promise((resolve, reject) => {
    let got = false;
    rl.once('line', (line) => {
      got = true;
      try {
        resolve(decodeHostData(line));
      } catch (err) {
        reject(err as Error);
      }
    });
    rl.once('close', () =>
      got
        ? onHostGone()
        : reject(
            new Error('no HostData on stdin: external providers are started by a weft host (weft start provider)'),
          ),
    );
  });
}
