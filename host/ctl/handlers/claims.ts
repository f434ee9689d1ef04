import { ok } from '../../../lattice/index.ts';
import type { CtlHandler } from '../types.ts';

/** `claims.get`: claims of every component and provider stored in `LATTICEDATA_{lattice}`. */
export const claimsGet: CtlHandler = async (ctx) => ok(await ctx.claims.list());
