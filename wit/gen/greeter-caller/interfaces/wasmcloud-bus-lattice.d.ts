declare module 'wasmcloud:bus/lattice@1.0.0' {
  /**
   * Uses the links named `name` for the given interfaces, for the rest of this invocation.
   */
  export function setLinkName(name: string, interfaces: Array<CallTargetInterface>): void;
  
  export class CallTargetInterface implements Disposable {
    constructor(namespace: string, package_: string, interface_: string)
    [Symbol.dispose](): void;
  }
}
