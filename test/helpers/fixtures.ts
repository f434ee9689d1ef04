/** Paths of the third-party fixtures in `../shared/fixtures/` (CI has `shared/` beside the checkout). */
import { fileURLToPath } from 'node:url';

export const SHARED_FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
export const fixture = (name: string): string => `${SHARED_FIXTURES}${name}`;
export const fixtureRef = (name: string): string => `file://${fixture(name)}`;
