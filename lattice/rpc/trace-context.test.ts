import { describe, expect, it } from 'vitest';
import { childSpan, formatTraceparent, parseTraceparent } from './trace-context.ts';

describe('trace context', () => {
  it('traceparent - parses W3C headers, refuses malformed or all-zero ids, and children keep the trace id', () => {
    const h = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(parseTraceparent(h)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(formatTraceparent(parseTraceparent(h)!)).toBe(h);
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled).toBe(false);
    for (const bad of [
      undefined,
      '',
      'garbage',
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`,
    ]) {
      expect(parseTraceparent(bad), String(bad)).toBeUndefined();
    }
    const child = childSpan(parseTraceparent(h));
    expect(child.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    const ids = new Set(Array.from({ length: 1000 }, () => childSpan().spanId));
    expect(ids.size).toBe(1000);
    expect(childSpan().traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
