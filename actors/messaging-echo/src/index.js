// Messaging echo actor: publishes every message body back to its reply-to subject.
import { publish } from 'wasmcloud:messaging/consumer@0.2.0';

export function handleMessage(msg) {
  if (msg.replyTo) publish({ subject: msg.replyTo, body: msg.body, replyTo: null });
}
