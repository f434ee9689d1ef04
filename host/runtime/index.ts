/**
 * @module host/runtime
 * The component runtime: jco-transpiled Wasm components in worker threads, with a transpile cache, instance
 * pooling, `max_instances` concurrency, execution-time and linear-memory limits, and host-import callbacks.
 *
 * ```ts
 * import { ComponentRuntime } from './host/runtime/index.ts';
 * const rt = new ComponentRuntime({ cacheDir: '/tmp/weft-cache', maxExecutionTimeMs: 5000 });
 * const adder = await rt.load(await readFile('adder.component.wasm'));
 * await rt.start('adder', adder, { maxInstances: 4 });
 * console.log(await rt.invoke('adder', 'docs:adder/add.add', [2, 3])); // 5
 * await rt.close();
 * ```
 */
export { ComponentRuntime } from './component-runtime.ts';
export { ComponentError, ComponentErrorCode } from './errors.ts';
export { TranspileCache, cacheStats } from './transpile-cache.ts';
export { capMemory } from './memory-cap.ts';
export { parseDts } from './dts-types.ts';
export { fromJson, toJson } from './value-map.ts';
export type { ComponentRuntimeOptions } from './component-runtime.ts';
export type { PreparedComponent, ComponentMeta } from './transpile-cache.ts';
export type { CallContext, ImportHandler, LogHandler } from './worker-pool.ts';
export type { TypeExpr, FuncDecl, DtsModule } from './dts-types.ts';
