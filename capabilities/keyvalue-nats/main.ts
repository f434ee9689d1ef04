/**
 * Entry of keyvalue-nats as an external provider process (`weft start provider file:///…/keyvalue-nats/main.ts kv`):
 * the same provider as `weft+builtin://keyvalue-nats`, in its own process, reached over NATS. The chaos suite runs
 * it this way to kill it under load.
 */
import { runProvider } from '../sdk/index.ts';
import { NatsKvProvider } from './provider.ts';

await runProvider(new NatsKvProvider());
