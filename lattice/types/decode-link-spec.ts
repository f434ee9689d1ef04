import { decodeLink } from '../codec.ts';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import type { ComponentSpecification, Link } from './link.ts';
import { asObject, InputLimits, parseJson, str } from './limits.ts';

/** A decoded `COMPONENT_{id}` entry and the links that were dropped from it (with why). */
export interface DecodedSpec {
  spec: ComponentSpecification;
  dropped: string[];
}

/**
 * Validates a `COMPONENT_{id}` value of `LATTICEDATA_{lattice}`: an object with an optional string `url` and a list
 * of links. Each link must pass the same rules as a `link.put` body ({@link decodeLink}) and have `sourceId` as its
 * source (links live on their source's spec); the others are dropped and listed in `dropped`, the rest is kept.
 * @throws {LatticeError} LAT_BAD_PAYLOAD when the entry as a whole is not a spec (not JSON, not an object, `links`
 * not a list).
 */
export function decodeComponentSpec(data: Uint8Array | string, sourceId: string): DecodedSpec {
  const w = `component spec ${sourceId.slice(0, 80)}`;
  const o = asObject(parseJson(data, w), w);
  const raw = o['links'] ?? [];
  if (!Array.isArray(raw)) throw new LatticeError(LatticeErrorCode.BadPayload, `${w}: "links" must be a list`);
  if (raw.length > InputLimits.list)
    throw new LatticeError(LatticeErrorCode.BadPayload, `${w}: more than ${InputLimits.list} links`);
  const links: Link[] = [];
  const dropped: string[] = [];
  raw.forEach((x, i) => {
    try {
      const l = decodeLinkValue(x, `link ${i}`);
      if (l.source_id !== sourceId)
        throw new Error(`source_id "${l.source_id.slice(0, 80)}" is not the spec's component`);
      links.push(l);
    } catch (err) {
      dropped.push(`links[${i}]: ${(err as Error).message}`);
    }
  });
  return { spec: { url: str(o, 'url', w, ''), links }, dropped };
}

/** A link already parsed from JSON, checked with the rules of a `link.put` body ({@link decodeLink}). */
export function decodeLinkValue(v: unknown, what = 'link'): Link {
  asObject(v, what);
  return decodeLink(new TextEncoder().encode(JSON.stringify(v)));
}
