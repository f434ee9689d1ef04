import type { CtlClient } from '../../../lattice/index.ts';
import { LatticeView } from '../ui/lattice-view.ts';
import { renderTop } from './top-screen.ts';
import type { TopFrame } from './top-screen.ts';

/** Options of {@link runTop}. */
export interface TopOptions {
  /** Ms between two screens. @default 1000 */
  intervalMs?: number;
  out?: NodeJS.WriteStream;
  input?: NodeJS.ReadStream;
}

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[?25l';
const ALT_SCREEN_OFF = '\x1b[?25h\x1b[?1049l';

/** The figures `weft top` shows, now. */
export function topFrame(view: LatticeView): TopFrame {
  const s = view.snapshot(false);
  return {
    lattice: s.lattice,
    hosts: s.hosts.map((h) => ({ host_id: h.host_id, friendly_name: h.friendly_name })),
    traffic: view.traffic(),
    components: view.history.latest(),
    now: new Date(),
  };
}

/** Starts following the lattice for `weft top` (hosts from ping and heartbeats, traffic from metrics samples). */
export async function followLattice(ctl: CtlClient): Promise<LatticeView> {
  const view = new LatticeView(ctl);
  await view.start();
  return view;
}

/**
 * Draws `weft top` on the terminal's alternate screen every `intervalMs` until `q`, Ctrl+C or a signal; the
 * terminal is restored whatever ends it.
 */
export async function runTop(ctl: CtlClient, o: TopOptions = {}): Promise<void> {
  const out = o.out ?? process.stdout;
  const input = o.input ?? process.stdin;
  const view = await followLattice(ctl);
  const draw = (): void => {
    const lines = renderTop(topFrame(view), out.columns || 100, out.rows || 40);
    out.write(`\x1b[H\x1b[2J${lines.join('\r\n')}`);
  };
  out.write(ALT_SCREEN_ON);
  const raw = input.isTTY ? input.setRawMode(true) : undefined;
  try {
    await new Promise<void>((resolve) => {
      const timer = setInterval(draw, o.intervalMs ?? 1000);
      const done = (): void => {
        clearInterval(timer);
        input.off('data', onKey);
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        resolve();
      };
      const onKey = (b: Buffer): void => {
        const k = b.toString();
        if (k === 'q' || k === 'Q' || k === '\x03' || k === '\x1b') done();
      };
      input.on('data', onKey);
      input.resume();
      out.on('resize', draw);
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      draw();
    });
  } finally {
    if (raw) input.setRawMode(false);
    input.pause();
    out.write(ALT_SCREEN_OFF);
    view.stop();
  }
}
