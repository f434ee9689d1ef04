import { randomBytes } from 'node:crypto';

/** A unique lattice name derived from a test title, so tests can share one server (temporal's task queue trick). */
export function latticeFor(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24);
  return `${slug}_${randomBytes(3).toString('hex')}`;
}
