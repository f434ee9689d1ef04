/**
 * @module capabilities/http-client
 * `weft+builtin://http-client`: `wasi:http/outgoing-handler@0.2.x` for linked components, to the hosts on the
 * link's `allowed_hosts` only, and to public addresses only unless an IP or CIDR entry names the address (checked
 * when the request connects, after DNS).
 *
 * ```sh
 * weft start provider weft+builtin://http-client http-client
 * weft config put fetch-cfg allowed_hosts=api.example.com,*.internal.test:8443,10.0.0.0/8:8443
 * weft link put fetcher http-client wasi http --interface outgoing-handler --target-config fetch-cfg
 * ```
 */
export { HttpClientProvider } from './provider.ts';
/** `parseAllowList(text)`; `allows(list, url)`: by name and port; `addressRefusal(list, url, ip)`: why that address may not be reached. */
export { addressRefusal, allows, parseAllowList } from './allow-list.ts';
/** `refusedRange(ip)`: the name of the non-public block holding `ip`, or `undefined` for a public address; `REFUSED_RANGES`: the table. */
export { REFUSED_RANGES, refusedRange } from './address-policy.ts';
export type { AllowList } from './allow-list.ts';
export type { IncomingResponseData, OutgoingRequestData } from './provider.ts';
