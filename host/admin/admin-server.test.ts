import { describe, expect, it } from 'vitest';
import { isOwnHost } from './admin-server.ts';

describe('isOwnHost (DNS rebinding)', () => {
  it('accepts the listen address, localhost and 127.0.0.1 on the port; refuses other names and ports', () => {
    for (const h of ['127.0.0.1:3030', 'localhost:3030', 'LOCALHOST:3030', '[::1]:3030'])
      expect(isOwnHost(h, '127.0.0.1', 3030), h).toBe(true);
    expect(isOwnHost('10.0.0.5:9000', '10.0.0.5', 9000)).toBe(true);
    expect(isOwnHost('[::1]:9000', '::1', 9000)).toBe(true);
    for (const h of [
      undefined,
      '',
      'attacker.example:3030',
      'attacker.example',
      '127.0.0.1:3031',
      'localhost',
      '127.0.0.1:3030.evil',
      'localhost.evil:3030',
      '10.0.0.5:3030',
    ]) {
      expect(isOwnHost(h, '127.0.0.1', 3030), String(h)).toBe(false);
    }
  });

  it('on a wildcard listen address any IP literal is accepted, names still are not', () => {
    expect(isOwnHost('192.168.1.9:3030', '0.0.0.0', 3030)).toBe(true);
    expect(isOwnHost('[fe80::1]:3030', '::', 3030)).toBe(true);
    expect(isOwnHost('rebind.example:3030', '0.0.0.0', 3030)).toBe(false);
  });
});
