/**
 * @module lattice/wascap
 * Claims in wasmCloud's wascap format: nkeys, JWTs (`{"typ":"jwt","alg":"Ed25519"}`), the `wasmcloud_jwt` custom
 * section of components and modules, the module hash, signing, inspection and verification (issuer an account key
 * `A…`, subject a component key `M…`: `keyRoleProblem`, `publicKeyRole`).
 *
 * ```ts
 * import { generateKey, signComponent, verifyComponent, inspectComponent } from './lattice/wascap/index.ts';
 * const issuer = generateKey('account');
 * // caps: the packages it may use; [] denies every capability, leaving caps out means unrestricted
 * const signed = signComponent(bytes, { issuer, subject: generateKey('component'), name: 'adder', caps: ['wasi:keyvalue'] });
 * verifyComponent(signed.bytes, { allowedIssuers: [issuer.getPublicKey()] }); // throws ClaimsError on failure
 * console.log(inspectComponent(signed.bytes)?.signatureValid);
 * ```
 */
export { ClaimsError, ClaimsErrorCode } from './errors.ts';
export { encodeJwt, decodeJwt, verifySignature, keyRoleProblem, newJti, JWT_HEADER, WASCAP_REVISION } from './jwt.ts';
export { publicKeyRole } from './nkey-codec.ts';
export { listSections, extractJwt, stripJwt, embedJwt, moduleHash, JWT_SECTIONS } from './wasm-sections.ts';
export { signComponent, inspectComponent, verifyComponent } from './component-claims.ts';
export {
  generateKey,
  keyFromSeed,
  seedOf,
  keysDir,
  saveKey,
  loadKey,
  listKeys,
  resolveKey,
  KEY_TYPE_NAMES,
} from './keys.ts';
export type { ComponentClaims, ComponentMetadata } from './jwt.ts';
export type { SignOptions, Inspection } from './component-claims.ts';
export type { Section } from './wasm-sections.ts';
