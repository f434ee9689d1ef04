import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, CliErrorCode } from '../errors.ts';
import { clearUpState, isAlive, readUpState } from '../home.ts';
import { withOutput } from '../options.ts';
import type { OutputFormat } from '../output.ts';
import { emit, green, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

/** `weft down`: stops what `weft up` started (host, then its nats-server). */
export function registerDownCommand(program: Command): void {
  withOutput(program.command('down'))
    .description('stop the host and nats-server started by `weft up`')
    .addHelpText('after', '\nExamples:\n  weft up -d && weft down')
    .action(
      runCommand(async (o: { output: OutputFormat }) => {
        const s = await readUpState();
        if (!s || !isAlive(s.pid)) {
          if (s) await clearUpState(s.pid);
          throw new CliError(CliErrorCode.NotRunning, 'nothing started by `weft up` is running', 'start a host with `weft up`');
        }
        process.kill(s.pid, 'SIGTERM');
        for (let i = 0; i < 150 && isAlive(s.pid); i++) await sleep(100);
        if (isAlive(s.pid)) process.kill(s.pid, 'SIGKILL');
        if (s.nats_pid && isAlive(s.nats_pid)) process.kill(s.nats_pid, 'SIGTERM');
        await clearUpState(s.pid);
        emit(o.output, { success: true, stopped: { pid: s.pid, host_id: s.host_id, nats_pid: s.nats_pid } }, () =>
          println(`${green('✔')} stopped host ${s.friendly_name ?? ''} (pid ${s.pid})${s.nats_pid ? ' and its nats-server' : ''}`),
        );
      }),
    );
}
