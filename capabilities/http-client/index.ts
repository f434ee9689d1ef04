/**
 * @module capabilities/http-client
 * `weft+builtin://http-client`: `wasi:http/outgoing-handler@0.2.x` for linked components, to the hosts on the
 * link's `allowed_hosts` only.
 *
 * ```sh
 * weft start provider weft+builtin://http-client http-client
 * weft config put fetch-cfg allowed_hosts=api.example.com,*.internal.test:8443
 * weft link put fetcher http-client wasi http --interface outgoing-handler --target-config fetch-cfg
 * ```
 */
export { HttpClientProvider } from './provider.ts';
export { allows, parseAllowList } from './allow-list.ts';
export type { AllowList } from './allow-list.ts';
export type { IncomingResponseData, OutgoingRequestData } from './provider.ts';
