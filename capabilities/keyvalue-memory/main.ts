/** Entry of the external keyvalue-memory provider process: `weft start provider file:///…/main.ts memkv`. */
import { runProvider } from '../sdk/index.ts';
import { MemoryKvProvider } from './provider.ts';

await runProvider(new MemoryKvProvider());
