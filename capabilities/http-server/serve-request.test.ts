import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { bodyTooLarge, failed } from './serve-request.ts';
import type { Route } from './routes.ts';

const route: Route = {
  address: '127.0.0.1:0',
  target: 'web',
  linkName: 'default',
  reusePort: false,
  maxBodyBytes: 10,
  timeoutMs: 30_000,
};

/** A response that records the status and body written to it (or that it was cut). */
function response(headersSent = false) {
  const r = { status: 0, headers: {} as Record<string, string>, body: '', destroyed: false };
  const res = {
    headersSent,
    writeHead(status: number, headers: Record<string, string>) {
      Object.assign(r, { status, headers });
      return res;
    },
    end(body = '') {
      r.body += body;
      return res;
    },
    destroy() {
      r.destroyed = true;
    },
  };
  return { res: res as unknown as ServerResponse, r };
}

const coded = (code: string) => Object.assign(new Error('x'), { code });

describe('http-server failed()', () => {
  it('maps error kinds to statuses: timeouts 504, busy 503 with retry-after, a too-large body 413, else 500', () => {
    const cases: [unknown, number][] = [
      [coded('LAT_TIMEOUT'), 504],
      [coded('COMP_TIMEOUT'), 504],
      [coded('HTTP_TIMEOUT'), 504],
      [coded('COMP_BUSY'), 503],
      [bodyTooLarge(route), 413],
      [coded('HOST_REPLY_TOO_LARGE'), 500],
      [coded('COMP_TRAP'), 500],
      [new Error('plain'), 500],
    ];
    for (const [err, status] of cases) {
      const { res, r } = response();
      const warned: unknown[] = [];
      failed(res, route, err, (o) => warned.push(o));
      expect(r.status, String((err as { code?: string }).code)).toBe(status);
      expect(warned).toHaveLength(1);
    }
    const busy = response();
    failed(busy.res, route, coded('COMP_BUSY'), () => undefined);
    expect(busy.r).toMatchObject({ headers: { 'retry-after': '1' }, body: 'host busy: [COMP_BUSY]\n' });
    const trap = response();
    failed(trap.res, route, coded('COMP_TRAP'), () => undefined);
    expect(trap.r.body).toBe('component failed: [COMP_TRAP]\n');
  });

  it('once the headers went out, the connection is cut instead (the client sees the response incomplete)', () => {
    const { res, r } = response(true);
    failed(res, route, coded('COMP_TIMEOUT'), () => undefined);
    expect(r).toMatchObject({ status: 0, destroyed: true });
  });
});
