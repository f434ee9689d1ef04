/// <reference path="./wasi-keyvalue-store.d.ts" />
declare module 'wasi:keyvalue/atomics@0.2.0-draft' {
  export function increment(bucket: Bucket, key: string, delta: bigint): bigint;
  export type Bucket = import('wasi:keyvalue/store@0.2.0-draft').Bucket;
  export type Error = import('wasi:keyvalue/store@0.2.0-draft').Error;
}
