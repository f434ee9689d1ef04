/** The control interface's reply envelope, `CtlResponse<T>` in wasmCloud. */
export interface CtlResponse<T = unknown> {
  success: boolean;
  message: string;
  response?: T;
}

/** A successful reply; `response` is omitted when undefined, as wasmCloud does. */
export function ok<T>(response?: T, message = ''): CtlResponse<T> {
  return response === undefined ? { success: true, message } : { success: true, message, response };
}

/** A failed reply carrying a message that says what was wrong. */
export function fail(message: string): CtlResponse<never> {
  return { success: false, message };
}
