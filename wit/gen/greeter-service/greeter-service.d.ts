/// <reference path="./interfaces/weft-actors-greeter.d.ts" />
declare module 'weft:actors/greeter-service@0.1.0' {
  export * as greeter from 'weft:actors/greeter@0.1.0'; // export weft:actors/greeter@0.1.0
}
