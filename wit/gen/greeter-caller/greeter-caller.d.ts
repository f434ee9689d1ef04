/// <reference path="./interfaces/wasmcloud-bus-lattice.d.ts" />
/// <reference path="./interfaces/weft-actors-greeter.d.ts" />
declare module 'weft:actors/greeter-caller@0.1.0' {
  export type * as WasmcloudBusLattice100 from 'wasmcloud:bus/lattice@1.0.0'; // import wasmcloud:bus/lattice@1.0.0
  export type * as WeftActorsGreeter010 from 'weft:actors/greeter@0.1.0'; // import weft:actors/greeter@0.1.0
  export function callGreeter(name: string): string;
  /**
  * Calls the greeter linked under `link-name` (switches with wasmcloud:bus/lattice.set-link-name).
  */
  export function callGreeterAs(linkName: string, name: string): string;
}
