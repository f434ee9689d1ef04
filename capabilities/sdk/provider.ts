/** The provider port lives in `lattice/` (the host calls it); the SDK re-exports it for provider authors. */
export { WitError } from '../../lattice/index.ts';
export type { HttpSink, Provider, ProviderContext, ProviderFactory, ResolvedLink } from '../../lattice/index.ts';
