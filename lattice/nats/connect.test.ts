import { createAccount, createServer, createUser, fromPublic } from '@nats-io/nkeys';
import { describe, expect, it } from 'vitest';
import { nodeKeyFromSeed } from '../wascap/nkey-codec.ts';

describe('nkey auth with node:crypto', () => {
  it('signs like @nats-io/nkeys: same public key, signatures nkeys verifies, for every role', () => {
    for (const kp of [createUser(), createAccount(), createServer()]) {
      const seed = new TextDecoder().decode(kp.getSeed());
      const mine = nodeKeyFromSeed(seed);
      expect(mine.getPublicKey()).toBe(kp.getPublicKey());
      const nonce = new TextEncoder().encode('nonce-from-the-server');
      const sig = mine.sign(nonce);
      expect(sig).toEqual(kp.sign(nonce)); // Ed25519 is deterministic
      expect(fromPublic(kp.getPublicKey()).verify(nonce, sig)).toBe(true);
    }
  });

  it('refuses what is not a seed', () => {
    const pub = createUser().getPublicKey();
    expect(() => nodeKeyFromSeed(pub)).toThrow();
    const seed = new TextDecoder().decode(createUser().getSeed());
    // a character inside the key (the last one may carry only base32 padding bits, which decode the same)
    const flipped = seed.slice(0, 20) + (seed[20] === 'A' ? 'B' : 'A') + seed.slice(21);
    expect(() => nodeKeyFromSeed(flipped)).toThrow(/checksum|seed/);
  });
});
