// Reads its runtime config (wasi:config) and logs through the host (wasi:logging).
import { log } from 'wasi:logging/logging@0.1.0-draft';
import { get, getAll } from 'wasi:config/store@0.2.0-draft';

export function describe() {
  const greeting = get('greeting') ?? 'none';
  log('info', 'config-logger', `greeting is ${greeting}`);
  return `greeting=${greeting}; keys=${getAll()
    .map(([k]) => k)
    .sort()
    .join(',')}`;
}
