import type { CloudEvent, CtlClient } from '../../lattice/index.ts';
import { CliError, CliErrorCode } from './errors.ts';
import { dim } from './output.ts';

/** Options of {@link sendAndAwait}. */
export interface AwaitOptions {
  /** Event types that end the wait (without the `com.wasmcloud.lattice.` prefix). */
  types: string[];
  match: (e: CloudEvent) => boolean;
  timeoutMs: number;
  /** Shown with a spinner on a TTY while waiting. */
  progress?: string;
}

/**
 * Subscribes to the outcome events *before* sending the command (so none is missed), sends it, then waits.
 * @throws {CliError} CLI_FAILED when no outcome event arrives in time.
 */
export async function sendAndAwait(ctl: CtlClient, send: () => Promise<void>, o: AwaitOptions): Promise<CloudEvent> {
  let resolveEvt!: (e: CloudEvent) => void;
  const got = new Promise<CloudEvent>((r) => (resolveEvt = r));
  const subs = ctl.subscribeEvents((e) => {
    if (o.match(e)) resolveEvt(e);
  }, o.types);
  const stopSpinner = spinner(o.progress);
  try {
    await ctl.flush();
    await send();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CliError(
              CliErrorCode.Failed,
              `no outcome event within ${o.timeoutMs} ms`,
              'check the host log, or `weft get inventory`',
            ),
          ),
        o.timeoutMs,
      );
    });
    try {
      return await Promise.race([got, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    stopSpinner();
    subs.forEach((s) => s.unsubscribe());
  }
}

function spinner(text: string | undefined): () => void {
  if (!text || !process.stderr.isTTY) return () => undefined;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let i = 0;
  const t = setInterval(() => process.stderr.write(`\r${frames[i++ % frames.length]} ${dim(text)}`), 80);
  return () => {
    clearInterval(t);
    process.stderr.write('\r\x1b[K');
  };
}
