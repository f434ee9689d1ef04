declare module 'weft:actors/greeter@0.1.0' {
  export function greet(name: string): string;
}
