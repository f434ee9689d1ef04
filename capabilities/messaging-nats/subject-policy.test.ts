import { describe, expect, it } from 'vitest';
import { ReplyTracker } from './reply-tracker.ts';
import {
  checkSubjectUse,
  isAnswerableReply,
  malformedSubject,
  parsePublishSubjects,
  reservedBy,
  subjectMatches,
} from './subject-policy.ts';

const use = (subject: unknown, o: { replyTo?: unknown; allowed?: string; current?: string[] } = {}) =>
  checkSubjectUse({
    subject,
    replyTo: o.replyTo,
    allowed: parsePublishSubjects(o.allowed).patterns,
    isCurrentReply: (s) => (o.current ?? []).includes(s),
  });

describe('subjectMatches', () => {
  it.each([
    ['a.b.c', 'a.b.c', true],
    ['a.b.c', 'a.b', false],
    ['a.b', 'a.b.c', false],
    ['a.*.c', 'a.x.c', true],
    ['a.*.c', 'a.x.y.c', false],
    ['a.*', 'a', false],
    ['a.>', 'a.b', true],
    ['a.>', 'a.b.c.d', true],
    ['a.>', 'a', false],
    ['>', 'anything.at.all', true],
    ['*', 'one', true],
    ['*', 'one.two', false],
    ['*.b.>', 'x.b.y', true],
    ['*.b.>', 'x.c.y', false],
    ['orders.eu', 'orders.eux', false],
    ['orders.eu', 'orders.e', false],
    ['a*', 'a*', true], // not a wildcard unless a whole token (such patterns are refused by the parser anyway)
    ['$*.>', '$JS.API.STREAM.LIST', true],
    ['$*.>', 'JS.API', false],
  ])('%s vs %s -> %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});

describe('malformedSubject', () => {
  it.each([
    ['', /empty/],
    ['a..b', /empty token/],
    ['.a', /empty token/],
    ['a.', /empty token/],
    ['a b', /whitespace/],
    ['a\tb', /whitespace/],
    ['a\nb', /whitespace/],
    ['a\u0000b', /control/],
    ['a\u007fb', /control/],
    ['a.\u00a0', /whitespace/],
    ['x'.repeat(257), /longer than 256/],
    ['a.*', /wildcard/],
    ['a.>', /wildcard/],
    ['a*b', /wildcard/],
  ])('%j is malformed as a publish subject', (s, why) => {
    expect(malformedSubject(s)).toMatch(why);
  });

  it('refuses values that are not strings', () => {
    for (const v of [undefined, null, 42, {}, ['a']]) expect(malformedSubject(v)).toMatch(/not a string/);
  });

  it('accepts concrete subjects, up to 256 characters, including unicode and $ or _ prefixes', () => {
    for (const s of ['a', 'orders.eu.created', 'x'.repeat(256), 'émoji.🌍', '$JS.API', '_INBOX.abc.1', 'a-b_c.D9'])
      expect(malformedSubject(s)).toBeUndefined();
  });

  it('with wildcards, accepts whole-token * and a trailing >, refuses the rest', () => {
    expect(malformedSubject('a.*.c', true)).toBeUndefined();
    expect(malformedSubject('a.>', true)).toBeUndefined();
    expect(malformedSubject('>', true)).toBeUndefined();
    expect(malformedSubject('a.>.c', true)).toMatch(/last token/);
    expect(malformedSubject('a.b*', true)).toMatch(/mixes/);
    expect(malformedSubject('a.>x', true)).toMatch(/mixes/);
  });
});

describe('reservedBy', () => {
  it.each([
    ['wasmbus.ctl.v1.default.host.ping', 'wasmbus.>'],
    ['wasmbus.evt.default.x', 'wasmbus.>'],
    ['wasmbus.rpc.default.kv.wasi:keyvalue/store.get', 'wasmbus.>'],
    ['$JS.API.STREAM.LIST', '$*.>'],
    ['$KV.LATTICEDATA_default.x', '$*.>'],
    ['$O.artifacts.C.x', '$*.>'],
    ['$SYS.REQ.SERVER.PING', '$*.>'],
    ['$SRV.PING', '$*.>'],
    ['$G.x', '$*.>'],
    ['wadm.api.default.model.put', 'wadm.>'],
    ['wasmcloud.policy', 'wasmcloud.>'],
    ['wasmcloud.secrets.v1alpha1.nats-kv.get', 'wasmcloud.>'],
    ['_INBOX.abc.1', '_INBOX.>'],
  ])('%s is reserved by %s', (s, r) => {
    expect(reservedBy(s)).toBe(r);
  });

  it('leaves application subjects alone, including look-alikes', () => {
    for (const s of [
      'orders.created',
      'wasmbusx.ctl',
      'my.wasmbus.ctl',
      'WASMBUS.ctl',
      'JS.API',
      'wadmin.x',
      '_INBOXES.x',
      'inbox.x',
    ])
      expect(reservedBy(s)).toBeUndefined();
  });

  it('a bare reserved first token is not under its .> (NATS: > needs at least one more token) but is still not publishable', () => {
    expect(reservedBy('wasmbus')).toBeUndefined();
    expect(use('wasmbus')).toMatchObject({ reason: expect.stringMatching(/no PUBLISH_SUBJECTS/) });
  });
});

describe('parsePublishSubjects', () => {
  it('splits on commas, trims, drops empties and reports malformed patterns apart', () => {
    expect(parsePublishSubjects(' orders.> , events.*.created,, a..b, a.>.c ,x y')).toEqual({
      patterns: ['orders.>', 'events.*.created'],
      invalid: [
        { pattern: 'a..b', reason: expect.stringMatching(/empty token/) },
        { pattern: 'a.>.c', reason: expect.stringMatching(/last token/) },
        { pattern: 'x y', reason: expect.stringMatching(/whitespace/) },
      ],
    });
    expect(parsePublishSubjects(undefined)).toEqual({ patterns: [], invalid: [] });
  });
});

describe('checkSubjectUse', () => {
  it('allows a subject that matches PUBLISH_SUBJECTS', () => {
    expect(use('orders.eu.created', { allowed: 'orders.>' })).toBeUndefined();
    expect(use('events.x.created', { allowed: 'orders.>,events.*.created' })).toBeUndefined();
  });

  it('refuses a subject outside PUBLISH_SUBJECTS, naming the patterns', () => {
    expect(use('billing.x', { allowed: 'orders.>' })).toEqual({
      field: 'subject',
      subject: 'billing.x',
      reason: expect.stringContaining('(orders.>)'),
    });
  });

  it('with no PUBLISH_SUBJECTS refuses everything but the current reply, and says what to configure', () => {
    expect(use('orders.x')).toMatchObject({ reason: expect.stringMatching(/no PUBLISH_SUBJECTS.*target config/) });
    expect(use('_INBOX.mine.1', { current: ['_INBOX.mine.1'] })).toBeUndefined();
    expect(use('reply.here', { current: ['reply.here'] })).toBeUndefined();
  });

  it('refuses reserved subjects even when PUBLISH_SUBJECTS allows everything', () => {
    for (const s of [
      'wasmbus.ctl.v1.default.host.ping',
      '$JS.API.STREAM.LIST',
      'wasmbus.evt.default.x',
      '$KV.b.k',
      'wadm.api.x',
      'wasmcloud.secrets.x',
      '_INBOX.other.1',
    ]) {
      expect(use(s, { allowed: '>' })).toMatchObject({
        field: 'subject',
        subject: s,
        reason: expect.stringMatching(/reserved subject/),
      });
    }
  });

  it('a reserved subject stays refused even if it were somehow the current reply; only _INBOX is excepted', () => {
    expect(use('wasmbus.ctl.v1.default.host.ping', { current: ['wasmbus.ctl.v1.default.host.ping'] })).toMatchObject({
      reason: expect.stringMatching(/reserved/),
    });
    expect(use('_INBOX.mine.1', { current: ['_INBOX.mine.2'] })).toMatchObject({
      reason: expect.stringMatching(/reserved/),
    });
  });

  it('checks a guest-supplied reply-to by the same rules', () => {
    expect(use('orders.x', { allowed: 'orders.>', replyTo: 'orders.replies' })).toBeUndefined();
    expect(use('orders.x', { allowed: 'orders.>', replyTo: 'wasmbus.ctl.v1.default.link.put' })).toMatchObject({
      field: 'reply-to',
      reason: expect.stringMatching(/reserved/),
    });
    expect(use('orders.x', { allowed: '>', replyTo: '_INBOX.someone.1' })).toMatchObject({ field: 'reply-to' });
    expect(use('orders.x', { allowed: 'orders.>', replyTo: 'billing.replies' })).toMatchObject({
      field: 'reply-to',
      reason: expect.stringMatching(/not on the link/),
    });
    expect(use('orders.x', { allowed: 'orders.>', replyTo: 'a..b' })).toMatchObject({
      field: 'reply-to',
      reason: expect.stringMatching(/malformed/),
    });
    expect(use('orders.x', { allowed: 'orders.>', replyTo: 'orders.*' })).toMatchObject({
      field: 'reply-to',
      reason: expect.stringMatching(/wildcard/),
    });
    expect(use('orders.x', { allowed: 'orders.>', replyTo: null })).toBeUndefined();
  });

  it('refuses malformed and wildcard subjects even under a matching pattern', () => {
    for (const s of ['orders.*', 'orders.>', 'orders..x', 'orders. x', `orders.${'x'.repeat(300)}`, 7]) {
      expect(use(s, { allowed: 'orders.>' })).toMatchObject({
        field: 'subject',
        reason: expect.stringMatching(/malformed/),
      });
    }
  });

  it('cuts a long refused subject short in the refusal', () => {
    expect(use('x'.repeat(10_000))!.subject).toHaveLength(257);
  });
});

describe('ReplyTracker', () => {
  it('opens a delivered reply for its component only, until used once', () => {
    const t = new ReplyTracker();
    t.deliver('a', '_INBOX.x.1');
    expect(t.has('a', '_INBOX.x.1')).toBe(true);
    expect(t.has('b', '_INBOX.x.1')).toBe(false);
    t.consume('a', '_INBOX.x.1');
    expect(t.has('a', '_INBOX.x.1')).toBe(false);
  });

  it('closes a reply when its delivery settles, and settling after use is harmless', () => {
    const t = new ReplyTracker();
    const done1 = t.deliver('a', 'r.1');
    const done2 = t.deliver('a', 'r.1');
    expect(t.size('a')).toBe(2);
    t.consume('a', 'r.1');
    expect(t.has('a', 'r.1')).toBe(true); // the second delivery's
    done1();
    done2();
    expect(t.has('a', 'r.1')).toBe(false);
    expect(t.size('a')).toBe(0);
  });

  it('records nothing for missing, malformed or reserved (non-_INBOX) reply-tos', () => {
    const t = new ReplyTracker();
    for (const r of [
      undefined,
      null,
      '',
      'a..b',
      'a.*',
      'wasmbus.ctl.v1.default.host.ping',
      '$JS.API.STREAM.LIST',
      'wasmcloud.policy',
    ])
      t.deliver('a', r);
    expect(t.size('a')).toBe(0);
    expect(isAnswerableReply('_INBOX.abc.2')).toBe(true);
    expect(isAnswerableReply('replies.orders')).toBe(true);
  });
});
