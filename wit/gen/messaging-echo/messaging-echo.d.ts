/// <reference path="./interfaces/wasmcloud-messaging-consumer.d.ts" />
/// <reference path="./interfaces/wasmcloud-messaging-handler.d.ts" />
/// <reference path="./interfaces/wasmcloud-messaging-types.d.ts" />
declare module 'weft:actors/messaging-echo@0.1.0' {
  export type * as WasmcloudMessagingConsumer020 from 'wasmcloud:messaging/consumer@0.2.0'; // import wasmcloud:messaging/consumer@0.2.0
  export type * as WasmcloudMessagingTypes020 from 'wasmcloud:messaging/types@0.2.0'; // import wasmcloud:messaging/types@0.2.0
  export * as handler from 'wasmcloud:messaging/handler@0.2.0'; // export wasmcloud:messaging/handler@0.2.0
}
