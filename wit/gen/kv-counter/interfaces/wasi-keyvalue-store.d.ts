declare module 'wasi:keyvalue/store@0.2.0-draft' {
  export function open(identifier: string): Bucket;
  export type Error = ErrorNoSuchStore | ErrorAccessDenied | ErrorOther;
  export interface ErrorNoSuchStore {
    tag: 'no-such-store',
  }
  export interface ErrorAccessDenied {
    tag: 'access-denied',
  }
  export interface ErrorOther {
    tag: 'other',
    val: string,
  }
  export interface KeyResponse {
    keys: Array<string>,
    cursor?: bigint,
  }
  
  export class Bucket implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    get(key: string): Uint8Array | undefined;
    set(key: string, value: Uint8Array): void;
    'delete'(key: string): void;
    exists(key: string): boolean;
    listKeys(cursor: bigint | undefined): KeyResponse;
    [Symbol.dispose](): void;
  }
}
