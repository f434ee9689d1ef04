import { describe, expect, it } from 'vitest';
import { readBody, uploadBody } from './body.ts';
import { OciError, OciErrorCode } from './errors.ts';

const over = (): OciError => new OciError(OciErrorCode.TooLarge, 'too large');
const failed = (err: unknown): OciError => new OciError(OciErrorCode.Timeout, `failed: ${String(err)}`);

describe('readBody', () => {
  it('reports progress and returns every byte', async () => {
    const seen: number[] = [];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(3));
        c.enqueue(new Uint8Array(4));
        c.close();
      },
    });
    const out = await readBody(new Response(body), 10, over, failed, (n) => seen.push(n));
    expect(out.length).toBe(7);
    expect(seen).toEqual([3, 7]);
  });

  it('refuses by Content-Length before reading, and past the limit while streaming', async () => {
    const res = new Response('x'.repeat(20), { headers: { 'content-length': '20' } });
    await expect(readBody(res, 10, over, failed)).rejects.toMatchObject({ code: 'OCI_TOO_LARGE' });
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new Uint8Array(8)); // endless
      },
    });
    await expect(readBody(new Response(stream), 100, over, failed)).rejects.toMatchObject({ code: 'OCI_TOO_LARGE' });
  });

  it('maps a read that fails mid-body to the caller’s coded error', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(2));
        c.error(new DOMException('timed out', 'TimeoutError'));
      },
    });
    await expect(readBody(new Response(stream), 100, over, failed)).rejects.toMatchObject({ code: 'OCI_TIMEOUT' });
  });
});

describe('uploadBody', () => {
  it('is the bytes themselves without progress, and slices reporting each one with it', async () => {
    const bytes = new Uint8Array(600 * 1024).fill(7);
    expect(uploadBody(bytes).body).toBe(bytes);
    const seen: [number, number][] = [];
    const { body, init } = uploadBody(bytes, (n, total) => seen.push([n, total]));
    expect(init).toEqual({ duplex: 'half' });
    const back = new Uint8Array(await new Response(body).arrayBuffer());
    expect(back).toEqual(bytes);
    expect(seen).toEqual([
      [256 * 1024, bytes.length],
      [512 * 1024, bytes.length],
      [bytes.length, bytes.length],
    ]);
  });
});
