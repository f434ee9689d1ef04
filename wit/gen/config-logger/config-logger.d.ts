/// <reference path="./interfaces/wasi-config-store.d.ts" />
/// <reference path="./interfaces/wasi-logging-logging.d.ts" />
declare module 'weft:actors/config-logger@0.1.0' {
  export type * as WasiConfigStore020Draft from 'wasi:config/store@0.2.0-draft'; // import wasi:config/store@0.2.0-draft
  export type * as WasiLoggingLogging010Draft from 'wasi:logging/logging@0.1.0-draft'; // import wasi:logging/logging@0.1.0-draft
  export function describe(): string;
}
