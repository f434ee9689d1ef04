/**
 * @module capabilities/http-server
 * `weft+builtin://http-server`: serves HTTP into components exporting `wasi:http/incoming-handler@0.2.x`.
 *
 * ```sh
 * weft start provider weft+builtin://http-server http
 * weft config put http-cfg address=127.0.0.1:8080
 * weft link put http hello wasi http --interface incoming-handler --source-config http-cfg
 * curl http://127.0.0.1:8080/
 * ```
 */
export { HttpServerProvider } from './provider.ts';
export { routeOf, pickRoute } from './routes.ts';
export type { Route } from './routes.ts';
