// Greeter caller: calls whichever component it is linked to for weft:actors/greeter.
import { greet } from 'weft:actors/greeter@0.1.0';
import { CallTargetInterface, setLinkName } from 'wasmcloud:bus/lattice@1.0.0';

export function callGreeter(name) {
  return `${greet(name)} (via greeter-caller)`;
}

// The same call through the link named `linkName` (wasmCloud's set-link-name, for this invocation only).
export function callGreeterAs(linkName, name) {
  setLinkName(linkName, [new CallTargetInterface('weft', 'actors', 'greeter')]);
  return `${greet(name)} (via greeter-caller, link ${linkName})`;
}
