/** Paths of the third-party components in `test/fixtures/components/` (provenance in its README). */
import { fileURLToPath } from 'node:url';

export const COMPONENT_FIXTURES = fileURLToPath(new URL('../fixtures/components/', import.meta.url));
export const fixture = (name: string): string => `${COMPONENT_FIXTURES}${name}`;
export const fixtureRef = (name: string): string => `file://${fixture(name)}`;
