import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, CliErrorCode } from '../errors.ts';
import { clearUpState, isAlive, readUpStates } from '../home.ts';
import type { UpState } from '../home.ts';
import { withOutput } from '../options.ts';
import type { OutputFormat } from '../output.ts';
import { emit, green, println, yellow } from '../output.ts';
import { runCommand } from '../run-command.ts';

const nameOf = (s: UpState): string => `${s.friendly_name ?? '?'} (${s.host_id ?? '?'}, pid ${s.pid})`;

/** The running hosts `ref` names: a pid, a host id or id prefix, or a friendly name. */
function pick(running: UpState[], ref: string): UpState[] {
  const exact = running.filter((s) => String(s.pid) === ref || s.host_id === ref || s.friendly_name === ref);
  return exact.length ? exact : running.filter((s) => s.host_id?.startsWith(ref));
}

/** Which hosts to stop: `--all`; the one named; else the first `weft up`'s, or the only one running. */
function targetsOf(running: UpState[], ref: string | undefined, all: boolean | undefined): UpState[] {
  const list = running.map(nameOf).join(', ');
  // --multi-local hosts first: the first host may own the nats-server they use
  if (all) return [...running.filter((s) => s.multi_local), ...running.filter((s) => !s.multi_local)];
  if (ref) {
    const found = pick(running, ref);
    if (found.length === 1) return found;
    if (!found.length)
      throw new CliError(
        CliErrorCode.NotRunning,
        `no host started by \`weft up\` here is "${ref}"`,
        `running: ${list}`,
      );
    throw new CliError(
      CliErrorCode.Usage,
      `"${ref}" names ${found.length} hosts: ${found.map(nameOf).join(', ')}`,
      'give more of the host id, or the pid',
    );
  }
  const first = running.find((s) => !s.multi_local);
  if (first) return [first];
  if (running.length === 1) return running;
  throw new CliError(
    CliErrorCode.Usage,
    `${running.length} hosts started with --multi-local are running: ${list}`,
    'name one (`weft down NAME`, an id prefix or a pid) or stop them all with `weft down --all`',
  );
}

/** Stops one host (SIGTERM, SIGKILL after 15 s), then the nats-server it started, and forgets it. */
async function stop(s: UpState): Promise<void> {
  process.kill(s.pid, 'SIGTERM');
  for (let i = 0; i < 150 && isAlive(s.pid); i++) await sleep(100);
  if (isAlive(s.pid)) process.kill(s.pid, 'SIGKILL');
  if (s.nats_pid && isAlive(s.nats_pid)) process.kill(s.nats_pid, 'SIGTERM');
  await clearUpState(s.pid);
}

/** `weft down [HOST] [--all]`: stops what `weft up` started (host, then its nats-server). */
export function registerDownCommand(program: Command): void {
  withOutput(
    program
      .command('down')
      .argument('[host]', 'pid, host id (or prefix) or friendly name of a host `weft up` started here'),
  )
    .description(
      'stop a host started by `weft up` (and the nats-server it started); --all for every one on this machine',
    )
    .option('--all', 'stop every host `weft up` started on this machine (--multi-local ones first)')
    .addHelpText(
      'after',
      '\nExamples:\n  weft up -d && weft down\n  weft up -d --multi-local && weft down --all\n  weft down 48211           # the host with that pid',
    )
    .action(
      runCommand(async (ref: string | undefined, o: { output: OutputFormat; all?: boolean }) => {
        const running: UpState[] = [];
        for (const s of await readUpStates()) {
          if (isAlive(s.pid)) running.push(s);
          else await clearUpState(s.pid); // gone without `weft down` (killed, machine restarted)
        }
        if (!running.length)
          throw new CliError(
            CliErrorCode.NotRunning,
            'nothing started by `weft up` is running',
            'start a host with `weft up`',
          );
        const targets = targetsOf(running, ref, o.all);
        for (const s of targets) await stop(s);
        const stopped = targets.map((s) => ({
          pid: s.pid,
          host_id: s.host_id,
          friendly_name: s.friendly_name,
          nats_pid: s.nats_pid,
        }));
        const left = running.filter(
          (s) => !targets.includes(s) && targets.some((t) => t.nats_pid && t.nats_url === s.nats_url),
        );
        emit(o.output, { success: true, stopped }, () => {
          for (const s of targets)
            println(`${green('✔')} stopped host ${nameOf(s)}${s.nats_pid ? ' and its nats-server' : ''}`);
          if (left.length)
            println(
              `${yellow('note:')} ${left.map(nameOf).join(', ')} used that nats-server (stop with \`weft down --all\`)`,
            );
        });
      }),
    );
}
