import { Option } from 'commander';
import type { Command } from 'commander';
import { connectNats } from '../../../lattice/client.ts';
import { natsOptionsOf, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

/** `weft pub SUBJECT DATA [--reply-timeout MS]`. */
export function registerPubCommand(program: Command): void {
  withLattice(program.command('pub').argument('<subject>', 'NATS subject').argument('<data>', 'message body (text)'))
    .description(
      'publish a message (to actors subscribed through messaging-nats); with --reply-timeout, wait for the reply',
    )
    .addOption(new Option('--reply-timeout <ms>', 'send as a request and wait this long for a reply').argParser(Number))
    .addHelpText(
      'after',
      '\nExamples:\n  weft pub orders.new \'{"id":1}\'\n  weft pub echo.hi hello --reply-timeout 2000',
    )
    .action(
      runCommand(async (subject: string, data: string, o: LatticeCliOptions & { replyTimeout?: number }) => {
        const nc = await connectNats(natsOptionsOf(o));
        try {
          if (o.replyTimeout === undefined) {
            nc.publish(subject, data);
            await nc.flush();
            return emit(o.output, { success: true, subject }, () =>
              println(`published ${data.length} bytes to ${subject}`),
            );
          }
          const r = await nc.request(subject, data, { timeout: o.replyTimeout });
          emit(o.output, { success: true, subject: r.subject, reply: r.string() }, () => println(r.string()));
        } finally {
          await nc.close();
        }
      }),
    );
}
