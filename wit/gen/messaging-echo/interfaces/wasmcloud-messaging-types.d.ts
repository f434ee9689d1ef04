declare module 'wasmcloud:messaging/types@0.2.0' {
  export interface BrokerMessage {
    subject: string,
    body: Uint8Array,
    replyTo?: string,
  }
}
