// Greeter caller: calls whichever component it is linked to for weft:actors/greeter.
import { greet } from 'weft:actors/greeter@0.1.0';

export function callGreeter(name) {
  return `${greet(name)} (via greeter-caller)`;
}
