import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { encodeRpc } from './codec.ts';
import { errorHeaders, RpcError, RpcHeader } from './error-headers.ts';
import { errorFromReply, errorReply, errorReplyHeaders, MAX_WIT_ERROR_BYTES, witErrorReply } from './error-reply.ts';
import { describeWitValue, WitError } from './wit-error.ts';

const roundTrip = (err: unknown, fallback = 'X_FALLBACK') => {
  const r = errorReply(err, fallback);
  return errorFromReply(r.headers, r.data);
};
/** A reply as a hostile or older peer may send it: these headers, this body. */
const reply = (code: string | undefined, message: string | undefined, data: Uint8Array = new Uint8Array()) => {
  const h = headers();
  if (code !== undefined) h.set(RpcHeader.ErrorCode, code);
  if (message !== undefined) h.set(RpcHeader.Error, message);
  return errorFromReply(h, data);
};

describe('WIT error values on a lattice reply (error-reply.ts)', () => {
  it('round trip - every kind of value comes back as a WitError with the same value, 64-bit integers and bytes kept', () => {
    const values: unknown[] = [
      'no such bucket',
      { tag: 'no-such-store' },
      { tag: 'other', val: '[KV_X] denied' },
      { tag: 'HTTP-response-body-size', val: 2n ** 63n - 1n },
      new Uint8Array([0, 1, 255]),
      [1, [2, [3, { deep: true }]]],
      0,
      false,
      null,
    ];
    for (const v of values) {
      const back = roundTrip(new WitError(v));
      expect(back, JSON.stringify(describeWitValue(v))).toBeInstanceOf(WitError);
      const value = (back as WitError).value;
      expect(ArrayBuffer.isView(v) ? new Uint8Array(value as Uint8Array) : value).toEqual(v);
      expect(back).toMatchObject({ code: 'WIT_ERROR' });
    }
    // a result's err without a payload (result<_, _>): no value, read back as null
    expect((roundTrip(new WitError(undefined)) as WitError).value).toBeNull();
  });

  it('the headers are what weft always sent: code WIT_ERROR, the value as JSON (what older weft parses)', () => {
    const r = witErrorReply({ tag: 'no-such-store' });
    expect(r.headers.get(RpcHeader.ErrorCode)).toBe('WIT_ERROR');
    expect(JSON.parse(r.headers.get(RpcHeader.Error))).toEqual({ tag: 'no-such-store' });
    expect(new WitError({ tag: 'no-such-store' }).message).toBe('[WIT_ERROR] {"tag":"no-such-store"}');
    // bigint and bytes have a JSON form in the header (a description: the body keeps the types)
    expect(witErrorReply({ n: 7n, b: new Uint8Array([1, 2]) }).headers.get(RpcHeader.Error)).toBe(
      '{"n":"7","b":[1,2]}',
    );
  });

  it('a value longer than the header holds arrives whole, from the body', () => {
    const big = { tag: 'other', val: 'x'.repeat(100_000) };
    const r = witErrorReply(big);
    expect(r.headers.get(RpcHeader.Error).length).toBeLessThanOrEqual(2001);
    expect((errorFromReply(r.headers, r.data) as WitError).value).toEqual(big);
  });

  it('an older peer, or a reply without a body (errorReplyHeaders) - header JSON only - is read as before', () => {
    const h = errorReplyHeaders(new WitError({ tag: 'no-such-store' }), 'X');
    expect((errorFromReply(h, new Uint8Array()) as WitError).value).toEqual({ tag: 'no-such-store' });
    expect((reply('WIT_ERROR', '{"tag":"access-denied"}') as WitError).value).toEqual({ tag: 'access-denied' });
    expect((reply('WIT_ERROR', '[WIT_ERROR] "plain"') as WitError).value).toBe('plain');
  });

  it('hostile - a WIT_ERROR reply whose value is oversize, not msgpack or not JSON is LAT_BAD_PAYLOAD, never a throw', () => {
    const bad = (e: unknown) => {
      expect(e).toBeInstanceOf(RpcError);
      expect(e).toMatchObject({ code: LatticeErrorCode.BadPayload });
    };
    bad(reply('WIT_ERROR', '{"tag":', new Uint8Array([0xdc, 0xff, 0xff]))); // a list of 65,535 with none there
    bad(reply('WIT_ERROR', '{"tag":')); // truncated JSON, no body
    bad(reply('WIT_ERROR', undefined)); // no message at all
    bad(reply('WIT_ERROR', 'null', new Uint8Array(MAX_WIT_ERROR_BYTES + 1)));
    bad(reply('WIT_ERROR', 'x'.repeat(MAX_WIT_ERROR_BYTES + 1)));
    // nested past the stack: a coded error, and the decoder still works afterwards
    const deep = new Uint8Array(200_000).fill(0x91);
    deep[deep.length - 1] = 0xc0;
    bad(reply('WIT_ERROR', 'null', deep));
    expect((reply('WIT_ERROR', 'x', encodeRpc('fine')) as WitError).value).toBe('fine');
    // wrong types are values like any other: the guest's bindings judge them (a trap there, not in the host)
    expect((reply('WIT_ERROR', '', encodeRpc({ tag: 42, val: [{}] })) as WitError).value).toEqual({
      tag: 42,
      val: [{}],
    });
  });

  it('coded errors - their own well-formed code, else the fallback; no code header is no error', () => {
    const lat = roundTrip(new LatticeError(LatticeErrorCode.Refused, 'no'));
    expect(lat).toBeInstanceOf(RpcError);
    expect(lat).toMatchObject({ code: 'LAT_REFUSED', message: '[LAT_REFUSED] no' });
    expect(roundTrip(Object.assign(new Error('x'), { code: 'bad code\r\nInjected: 1' }))).toMatchObject({
      code: 'X_FALLBACK',
    });
    expect(roundTrip('a thrown string')).toMatchObject({ code: 'X_FALLBACK', message: '[X_FALLBACK] a thrown string' });
    expect(roundTrip(undefined)).toMatchObject({ code: 'X_FALLBACK' });
    expect(errorFromReply(undefined, new Uint8Array())).toBeUndefined();
    expect(errorFromReply(headers(), encodeRpc('ok'))).toBeUndefined();
    expect(reply('COMP_TRAP', '[COMP_TRAP] guest trapped')).toMatchObject({
      code: 'COMP_TRAP',
      message: '[COMP_TRAP] guest trapped',
    });
    expect(errorFromReply(errorHeaders('HOST_X', 'y'), new Uint8Array())).not.toBeInstanceOf(WitError);
  });

  it('values msgpack or JSON cannot encode still make a reply (header only, or a description)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(describeWitValue(cyclic)).toBe('(object that has no JSON form)');
    const r = witErrorReply(cyclic);
    expect(r.data.length).toBe(0);
    expect(errorFromReply(r.headers, r.data)).toMatchObject({ code: LatticeErrorCode.BadPayload });
    const sym = witErrorReply(Symbol('s'));
    expect(sym.headers.get(RpcHeader.ErrorCode)).toBe('WIT_ERROR');
    expect(describeWitValue('y'.repeat(5000))).toHaveLength(2001);
  });
});
